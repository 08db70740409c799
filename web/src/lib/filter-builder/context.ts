import { createContext } from 'svelte';
import type { FilterField } from './catalogue';
import type { FilterEditor } from './filter-editor.svelte';
import type { Choice } from './fuzzy';

export interface ChoiceList {
  choices: readonly Choice[];
  /** Values outside the list may be typed (languages, countries, time zones). */
  allowCustom: boolean;
}

/** What every node of the builder needs: the editor and the choices of a field. */
export interface BuilderContext {
  editor: FilterEditor;
  choicesOf(field: FilterField): ChoiceList;
}

export const [getBuilder, setBuilder] = createContext<BuilderContext>();
