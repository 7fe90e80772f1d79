// The validation rules shared by HTTP routes and the coach's tools. Bodies (and tool arguments)
// are JSON, so they must arrive with the right types and nothing extra; query strings and params
// are text by nature, so they are coerced. Messages name the field that is wrong.
import { Ajv, type ErrorObject, type Options } from 'ajv'
import addFormats from 'ajv-formats'

/** What Ajv reports for one failed keyword (Fastify's error type is the same shape). */
export type ValidationErrorLike = Pick<ErrorObject, 'keyword' | 'instancePath' | 'params' | 'message'> & { parentSchema?: unknown, data?: unknown }

function makeAjv (options: Options): Ajv {
  const ajv = new Ajv({ useDefaults: true, allErrors: false, strict: false, verbose: true, discriminator: true, ...options })
  addFormats.default(ajv)
  return ajv
}

export const strictAjv = makeAjv({ coerceTypes: false, removeAdditional: false })
export const coercingAjv = makeAjv({ coerceTypes: 'array', removeAdditional: false })

/** Human message naming the field: "body.duration_minutes must be an integer". */
export function describeValidationError (errors: readonly ValidationErrorLike[], dataVar: string): string {
  const e = errors[0]
  const path = [dataVar, ...e.instancePath.split('/').filter(Boolean)].join('.')
  const params = e.params as Record<string, any>
  const hint = (e.parentSchema as { description?: string } | undefined)?.description
  switch (e.keyword) {
    case 'required': return `${path}.${params.missingProperty} is required`
    // No body at all where an object is expected: name what to send.
    case 'type':
      if (e.instancePath === '' && e.data == null && params.type === 'object') return missingObject(path, e.parentSchema)
      return `${path} must be ${article(params.type)} ${params.type}`
    case 'additionalProperties': return `${path} has unknown property '${params.additionalProperty}'`
    case 'enum': return `${path} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`
    case 'minLength': return `${path} must be at least ${params.limit} character${params.limit === 1 ? '' : 's'}`
    case 'maxLength': return `${path} must be at most ${params.limit} character${params.limit === 1 ? '' : 's'}`
    case 'minimum': case 'maximum': return `${path} must be ${params.comparison} ${params.limit}`
    case 'uniqueItems': return `${path} must not list the same item twice (items ${params.j} and ${params.i} are equal)`
    case 'minItems': return `${path} must list at least ${params.limit} item${params.limit === 1 ? '' : 's'}`
    case 'maxItems': return `${path} must list at most ${params.limit} item${params.limit === 1 ? '' : 's'}`
    // A body with one schema per `type` (OpenAPI discriminator): the type is missing or unknown.
    case 'discriminator': {
      // Inline branches carry their value; $ref branches are listed in x-discriminator-values.
      const schema = e.parentSchema as { 'x-discriminator-values'?: string[], oneOf?: Array<{ properties?: Record<string, { const?: unknown }> }> } | undefined
      const values = schema?.['x-discriminator-values'] ?? (schema?.oneOf ?? []).map(b => b.properties?.[params.tag]?.const).filter(v => v !== undefined)
      return `${path}.${params.tag} must be ${values.length > 0 ? `one of: ${values.join(', ')}` : 'one of the documented values'}`
    }
    case 'minProperties': return `${path} must contain at least ${params.limit} field${params.limit === 1 ? '' : 's'}`
    case 'format': return `${path} must be ${hint ?? `a valid ${params.format}`}`
    case 'pattern': return `${path} must be ${hint ?? `in the form ${params.pattern}`}`
    default: return `${path} ${e.message ?? 'is invalid'}`
  }
}

function missingObject (path: string, schema: unknown): string {
  const required = (schema as { required?: string[] } | undefined)?.required ?? []
  return required.length > 0
    ? `${path} is required: send a JSON object with ${required.join(', ')}`
    : `${path} is required: send a JSON object`
}

function article (type: string): string {
  return /^[aeiou]/i.test(type) ? 'an' : 'a'
}

