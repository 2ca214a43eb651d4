// Correct code written the way model zoos and libraries write it (fixtures/real-code, one file per
// cause of a false alarm footgun used to raise on real code). Any warning or error here is a bug.
import { describe } from 'vitest';
import { expectSilentOnIdiomatic } from './helpers.js';

describe('real-code fixtures: no false alarms', () => {
  expectSilentOnIdiomatic('real-code', 2);
});
