// One set of transpile options for the build (scripts/build.mjs) and for running the sources
// directly (scripts/ts-hooks.mjs), so tests run the same JavaScript that `npm start` runs.
export const TRANSFORM_OPTIONS = {
  loader: 'ts',
  format: 'esm',
  platform: 'node',
  // Node 24 has everything the sources use (top-level await, class fields, import.meta.dirname).
  target: 'node24'
}
