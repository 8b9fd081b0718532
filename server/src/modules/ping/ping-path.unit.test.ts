import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePingPath, type PingPath } from './ping-path.js';

describe('parsePingPath', () => {
  const table: [string, PingPath | null][] = [
    ['', { kind: 'SUCCESS' }],
    ['/', { kind: 'SUCCESS' }],
    ['start', { kind: 'START' }],
    ['/start', { kind: 'START' }],
    ['fail', { kind: 'FAIL' }],
    ['/log', { kind: 'LOG' }],
    ['0', { kind: 'SUCCESS', exitStatus: 0 }],
    ['/1', { kind: 'FAIL', exitStatus: 1 }],
    ['2', { kind: 'FAIL', exitStatus: 2 }],
    ['007', { kind: 'FAIL', exitStatus: 7 }],
    ['255', { kind: 'FAIL', exitStatus: 255 }],
    ['256', null],
    ['1000', null],
    ['-1', null],
    ['1.5', null],
    ['START', null],
    ['finish', null],
    ['start/', null],
    ['start/extra', null],
    ['//start', null],
    ['constructor', null],
    ['toString', null],
  ];
  for (const [rest, expected] of table) {
    it(`${JSON.stringify(rest)} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(parsePingPath(rest), expected);
    });
  }
});
