// Validation per request part (rules in src/schemas/validator.ts): Fastify's default Ajv coerces
// types ("30" → 30, true → 1) and silently strips unknown properties — right for query strings,
// wrong for JSON bodies.
import fp from 'fastify-plugin'
import { coercingAjv, describeValidationError, strictAjv } from '../../src/shared/validator.js'

export default fp(async function validation (fastify) {
  fastify.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strictAjv : coercingAjv
    return ajv.compile(schema) as any
  })
  fastify.setSchemaErrorFormatter((errors, dataVar) => new Error(describeValidationError(errors as any, dataVar)))
}, { name: 'validation' })
