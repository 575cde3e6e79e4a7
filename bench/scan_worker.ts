/**
 * The worker of bench/workers.ts: scans the files the main thread hands it
 * (two at a time), and sends back what FileSource.scan returns.
 *
 * @module
 */
import { scanFile } from "../lib/scan/session_scan.ts";

interface Ask {
  id: number;
  path: string;
}

declare const self: {
  onmessage: ((e: MessageEvent<Ask>) => void) | null;
  postMessage(m: unknown): void;
};

self.onmessage = async (e: MessageEvent<Ask>) => {
  const { id, path } = e.data;
  try {
    const { summary, ledger } = await scanFile(path);
    self.postMessage({ id, summary, ledger });
  } catch (err) {
    self.postMessage({ id, error: String(err) });
  }
};
