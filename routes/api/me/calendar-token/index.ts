import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { rotateCalendarToken } from '../../../../src/calendar/feed-token.js'
import { unavailable } from '../../../../src/shared/domain-errors.js'
import { errors } from '../../../../src/shared/http-schemas.js'
import { publicBaseUrl } from '../../../../src/config.js'

const calendarToken: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repo, config } = fastify
  // Behind a proxy in production the service cannot know the address people use: it must be told.
  const needsPublicUrl = config.NODE_ENV === 'production' && config.TRUST_PROXY !== false && !config.PUBLIC_BASE_URL
  const baseUrl = publicBaseUrl(config)

  fastify.post('', {
    schema: {
      tags: ['calendar'],
      operationId: 'rotateCalendarToken',
      summary: 'A new secret address for your calendar feed (the previous one stops working)',
      description: 'Send no body. The token is shown once; subscribe to `url` from your calendar app.',
      response: {
        200: Type.Object({
          token: Type.String({ description: 'the secret; shown only now' }),
          url: Type.String({ description: 'the feed address to subscribe to' })
        }, { description: 'The new feed address' }),
        ...errors(401, 404, 503)
      }
    }
  }, async (request) => {
    if (needsPublicUrl) throw unavailable('The feed address is not known here: the operator must set PUBLIC_BASE_URL (the service runs behind a proxy).', 3600)
    return rotateCalendarToken(repo, request.user.id, baseUrl)
  })
}

export default calendarToken
