import { createSubscriber } from 'svelte/reactivity';

/**
 * The current time, reactive while something reads it. One timer for every reader, armed to the next
 * boundary of `period` (a clock showing minutes changes on the minute, not up to a minute late), and
 * stopped when the last reader is gone.
 */
export class Clock {
  readonly #period: number;
  readonly #subscribe: () => void;

  constructor(period = 1000) {
    this.#period = period;
    this.#subscribe = createSubscriber((update) => {
      let timer: ReturnType<typeof setTimeout>;
      const arm = () => {
        timer = setTimeout(
          () => {
            update();
            arm();
          },
          this.#period - (Date.now() % this.#period) + 5,
        );
      };
      arm();
      return () => clearTimeout(timer);
    });
  }

  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}

/** Minute precision is all a local time shows; one shared clock for every drawer and panel. */
export const minuteClock = new Clock(60_000);
