import { describe, expect, it } from 'vitest';
import { workerExecArgv } from './cluster.js';

describe('HTTP worker flags', () => {
  it('gives workers a 32 MB young generation, after the primary own flags', () => {
    expect(workerExecArgv(['--import', 'tsx'])).toEqual(['--import', 'tsx', '--max-semi-space-size=32']);
  });

  it("keeps an operator's own semi-space size, on the command line or in NODE_OPTIONS", () => {
    expect(workerExecArgv(['--max-semi-space-size=8'])).toEqual(['--max-semi-space-size=8']);
    expect(workerExecArgv(['--import', 'tsx'], '--max-old-space-size=512 --max-semi-space-size=64')).toEqual(['--import', 'tsx']);
  });
});
