// openapi-typescript's programmatic API: the document in, the TypeScript source of its types out
// (`paths`, `operations`, `components`), as `openapi-typescript doc.json` would print it.
import openapiTS, { astToString } from 'openapi-typescript'

const BANNER = '// Generated from the service\'s OpenAPI document by openapi-typescript. Do not edit: it is\n' +
  '// rewritten by `npm run openapi` (which `npm run typecheck` runs first) and by the tests.\n'

/** @param {object} document an OpenAPI 3 document */
export async function generateTypes (document) {
  return BANNER + astToString(await openapiTS(document))
}
