/**
 * At most one call per `intervalMs`, the last request always honoured: a call inside the window
 * schedules one trailing run at its end, so the final figures of a burst are never lost.
 */
export class Throttle {
  private last = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly run: () => void,
  ) {}

  request(): void {
    const wait = this.last + this.intervalMs - Date.now();
    if (wait <= 0) {
      this.fire();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.fire(), wait);
      this.timer.unref();
    }
  }

  /** Drops a pending trailing run (the job's final status push supersedes it). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.cancel();
    this.last = Date.now();
    this.run();
  }
}
