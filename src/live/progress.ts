import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { ProgressEvent } from './scan-context';

/** Progress on stderr for interactive runs: one bar per account, naming the region and service at work. */
export class ScanProgress {
  private readonly multibar: MultiBar;
  private readonly bars = new Map<string, { bar: SingleBar; total: number; done: number }>();

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.multibar = new MultiBar(
      {
        stream,
        format: '{account} [{bar}] {value}/{total} {step}',
        hideCursor: true,
        clearOnComplete: false,
        autopadding: true,
        etaBuffer: 20,
      },
      Presets.shades_classic,
    );
  }

  /** Whether a display should be shown at all: only on a terminal, and never with --quiet. */
  static wanted(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): boolean {
    return !quiet && Boolean(stream.isTTY);
  }

  update(event: ProgressEvent): void {
    let entry = this.bars.get(event.account);
    if (!entry) {
      entry = { bar: this.multibar.create(1, 0, { account: event.account, step: '' }), total: 0, done: 0 };
      this.bars.set(event.account, entry);
    }
    if (event.phase === 'start') entry.total += 1;
    else entry.done += 1;
    entry.bar.setTotal(Math.max(entry.total, 1));
    entry.bar.update(entry.done, { account: event.account, step: `${event.region} ${event.service}` });
  }

  accountDone(account: string): void {
    const entry = this.bars.get(account);
    entry?.bar.update(entry.done, { account, step: 'done' });
  }

  stop(): void {
    this.multibar.stop();
  }
}
