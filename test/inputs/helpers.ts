import assert from 'node:assert/strict';
import path from 'path';
import type { Posture } from '../../src/posture/types';
import { postureProblems } from '../../src/posture/validate';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'inputs');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

export function assertValid(posture: Posture): void {
  assert.deepEqual(postureProblems(posture), [], `posture from ${posture.source.path} does not match posture.schema.json`);
}

type Collection = Exclude<keyof Posture, 'version' | 'source' | 'notes' | 'unread_modules'>;

/** The object with this id in a collection; fails when it is missing. */
export function byId<K extends Collection>(posture: Posture, collection: K, id: string): NonNullable<Posture[K]>[number] {
  const objects = (posture[collection] ?? []) as { id: string }[];
  const found = objects.find((object) => object.id === id);
  assert.ok(found, `${id} not in ${collection}: ${objects.map((o) => o.id).join(', ')}`);
  return found as NonNullable<Posture[K]>[number];
}
