import { issuesFromZod, StartImportBody, type CustomField, type DryRunResult, type ImportUpload } from '@switchboard/shared';
import { ApiError } from '$lib/api/client';
import { contactsApi } from '$lib/api/contacts';
import { jobsApi, type UploadProgress } from '$lib/api/jobs';
import {
  checkMapping,
  initialMapping,
  localCountry,
  placeIssues,
  startBody,
  type ColumnMapping,
  type ColumnTarget,
  type FieldErrors,
  type ImportOptions,
  type NewField,
} from './mapping';

export type WizardStep = 'file' | 'map' | 'preview';

/**
 * One CSV import from file to started job: upload (with progress), mapping and options, dry run,
 * start. Errors are keyed like `mapping.ts` keys them, so each shows next to its input.
 */
export class ImportDraft {
  readonly workspaceId: string;
  step = $state<WizardStep>('file');

  file = $state.raw<File | null>(null);
  uploading = $state(false);
  progress = $state.raw<UploadProgress | null>(null);
  /** Every byte is sent; the server is reading the header and the first rows. */
  reading = $state(false);
  upload = $state.raw<ImportUpload | null>(null);

  customFields = $state.raw<CustomField[]>([]);
  rows = $state<ColumnMapping[]>([]);
  options = $state<ImportOptions>({ channel: 'sms', defaultCountry: localCountry(), onExisting: 'skip' });

  dryRun = $state.raw<DryRunResult | null>(null);
  checking = $state(false);
  starting = $state(false);

  /** What the server refused, keyed like `mapping.ts` keys errors; an edit clears its input's entry. */
  serverErrors = $state<FieldErrors>({});
  /** Problems that name no input. */
  general = $state<string[]>([]);
  /** After the first dry run or start, the console's own checks follow every edit. */
  #attempted = $state(false);

  /** Field key → message (`file`, `mapping:<column>`, `new:<column>:key`, `defaultCountry`…). */
  readonly errors: FieldErrors = $derived.by(() => ({ ...this.serverErrors, ...(this.#attempted ? this.#localErrors() : {}) }));

  #upload: AbortController | null = null;

  constructor(workspaceId: string) {
    this.workspaceId = workspaceId;
  }

  get busy(): boolean {
    return this.uploading || this.checking || this.starting;
  }

  async choose(file: File): Promise<void> {
    this.file = file;
    this.serverErrors = {};
    this.general = [];
    if (file.size === 0) {
      this.serverErrors = { file: `“${file.name}” is empty.` };
      return;
    }
    this.#upload?.abort();
    const controller = (this.#upload = new AbortController());
    this.uploading = true;
    this.reading = false;
    this.progress = { loaded: 0, total: file.size };
    try {
      const [upload, fields] = await Promise.all([
        jobsApi.upload(this.workspaceId, file, {
          signal: controller.signal,
          onProgress: (p) => (this.progress = p),
          onSent: () => (this.reading = true),
        }),
        contactsApi.fields(this.workspaceId, { signal: controller.signal }).catch(() => [] as CustomField[]),
      ]);
      if (controller.signal.aborted) return;
      this.upload = upload;
      this.customFields = fields;
      this.rows = initialMapping(upload, fields);
      this.dryRun = null;
      this.step = 'map';
    } catch (e) {
      if (controller.signal.aborted) return;
      // The multipart body has one input: whatever the server says about it is about the file.
      this.serverErrors = { file: e instanceof ApiError ? e.message : 'The upload failed. Try again.' };
    } finally {
      if (!controller.signal.aborted) {
        this.uploading = false;
        this.reading = false;
      }
    }
  }

  cancelUpload(): void {
    this.#upload?.abort();
    this.#upload = null;
    this.uploading = false;
    this.reading = false;
    this.progress = null;
  }

  /** Back to the file step: another file means another upload. */
  chooseAgain(): void {
    this.cancelUpload();
    this.step = 'file';
    this.upload = null;
    this.file = null;
    this.dryRun = null;
    this.serverErrors = {};
    this.general = [];
    this.#attempted = false;
  }

  setTarget(column: string, target: ColumnTarget): void {
    const row = this.rows.find((r) => r.column === column);
    if (!row) return;
    row.target = target;
    this.#edited(`mapping:${column}`, `new:${column}:key`, `new:${column}:label`, `new:${column}:type`);
  }

  setNewField(column: string, part: keyof NewField, value: string): void {
    const row = this.rows.find((r) => r.column === column);
    if (!row) return;
    (row.newField as unknown as Record<string, string>)[part] = value;
    this.#edited(`new:${column}:${part}`);
  }

  setOption<K extends keyof ImportOptions>(name: K, value: ImportOptions[K]): void {
    this.options[name] = value;
    this.#edited(name);
  }

  /** Runs the first rows through the import without writing; shows the preview step. */
  async check(): Promise<boolean> {
    const body = this.#validBody();
    if (!body || !this.upload) return false;
    this.checking = true;
    try {
      this.dryRun = await jobsApi.dryRun(this.workspaceId, this.upload.jobId, body);
      this.step = 'preview';
      return true;
    } catch (e) {
      this.#failed(e, 'The dry run failed. Try again.');
      return false;
    } finally {
      this.checking = false;
    }
  }

  /** Starts the import; resolves with its job id, or null when it was refused (errors are shown). */
  async start(): Promise<string | null> {
    const body = this.#validBody();
    if (!body || !this.upload) return null;
    this.starting = true;
    try {
      const answer = await jobsApi.start(this.workspaceId, this.upload.jobId, body);
      return answer?.jobId ?? this.upload.jobId;
    } catch (e) {
      this.#failed(e, 'The import could not be started. Try again.');
      return null;
    } finally {
      this.starting = false;
    }
  }

  backToMapping(): void {
    this.step = 'map';
  }

  dispose(): void {
    this.#upload?.abort();
  }

  #localErrors(): FieldErrors {
    const errors = checkMapping(this.rows, this.customFields);
    const parsed = StartImportBody.safeParse(startBody(this.rows, this.options));
    // The mapping checks say it better than the schema does; the schema adds the options.
    if (!parsed.success) return { ...placeIssues(issuesFromZod(parsed.error), this.rows).fields, ...errors };
    return errors;
  }

  #validBody() {
    this.#attempted = true;
    this.general = [];
    if (Object.keys(this.errors).length) {
      // Whatever is wrong is on the mapping step, not in the preview.
      this.step = 'map';
      return null;
    }
    return startBody(this.rows, this.options);
  }

  #failed(e: unknown, fallback: string): void {
    if (e instanceof ApiError && e.code === 'validation') {
      const placed = placeIssues(e.details, this.rows);
      this.serverErrors = placed.fields;
      this.general = placed.other.length || Object.keys(placed.fields).length ? placed.other : [e.message];
      this.step = 'map';
    } else this.general = [e instanceof ApiError ? e.message : fallback];
  }

  /** A changed input no longer carries the server's complaint about its old value; nor does a dry run of the old mapping count. */
  #edited(...keys: string[]): void {
    this.dryRun = null;
    if (!keys.some((k) => k in this.serverErrors)) return;
    const next: FieldErrors = {};
    for (const [key, message] of Object.entries(this.serverErrors)) if (!keys.includes(key)) next[key] = message;
    this.serverErrors = next;
  }
}
