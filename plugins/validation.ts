// Validation per request part. Fastify's default Ajv coerces types ("30" → 30, true → 1) and
// silently strips unknown properties. Bodies are JSON, so they must arrive with the right types
// and nothing extra; query strings and params are text by nature, so they are coerced.
import fp from 'fastify-plugin'
import { Ajv, type ErrorObject, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaValidationError } from 'fastify/types/schema.js'

function makeAjv (options: Options): Ajv {
  const ajv = new Ajv({ useDefaults: true, allErrors: false, strict: false, verbose: true, ...options })
  addFormats.default(ajv)
  return ajv
}

const bodyAjv = makeAjv({ coerceTypes: false, removeAdditional: false })
const textAjv = makeAjv({ coerceTypes: 'array', removeAdditional: false })

/** Human message naming the field: "body.duration_minutes must be an integer". */
export function describeValidationError (errors: FastifySchemaValidationError[], dataVar: string): string {
  const e = errors[0] as ErrorObject & FastifySchemaValidationError
  const path = [dataVar, ...e.instancePath.split('/').filter(Boolean)].join('.')
  const params = e.params as Record<string, any>
  const hint = (e.parentSchema as { description?: string } | undefined)?.description
  switch (e.keyword) {
    case 'required': return `${path}.${params.missingProperty} is required`
    case 'additionalProperties': return `${path} has unknown property '${params.additionalProperty}'`
    case 'type': return `${path} must be ${article(params.type)} ${params.type}`
    case 'enum': return `${path} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`
    case 'minLength': return `${path} must be at least ${params.limit} characters`
    case 'maxLength': return `${path} must be at most ${params.limit} characters`
    case 'minimum': case 'maximum': return `${path} must be ${params.comparison} ${params.limit}`
    case 'minProperties': return `${path} must contain at least ${params.limit} field${params.limit === 1 ? '' : 's'}`
    case 'format': return `${path} must be ${hint ?? `a valid ${params.format}`}`
    case 'pattern': return `${path} must be ${hint ?? `in the form ${params.pattern}`}`
    default: return `${path} ${e.message ?? 'is invalid'}`
  }
}

function article (type: string): string {
  return /^[aeiou]/i.test(type) ? 'an' : 'a'
}

export default fp(async function validation (fastify) {
  fastify.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? bodyAjv : textAjv
    return ajv.compile(schema) as any
  })
  fastify.setSchemaErrorFormatter((errors, dataVar) => new Error(describeValidationError(errors, dataVar)))
}, { name: 'validation' })
