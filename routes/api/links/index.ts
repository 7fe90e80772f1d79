// Links people follow from a message: unsubscribe, and a buddy's invitation. They carry a signed
// token instead of a session. GET shows a page with a button and changes nothing (mail scanners
// fetch every link); POST acts — also the RFC 8058 one-click unsubscribe mail apps send.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { buddyOptOut, answerInvitation, readInvitation } from '../../../src/nudges/buddy.js'
import { readUnsubscribeToken, unsubscribeEmail } from '../../../src/nudges/channels.js'
import { invalid } from '../../../src/shared/domain-errors.js'
import { errors } from '../../../src/shared/http-schemas.js'

const Token = Type.Object({ token: Type.String({ minLength: 10, maxLength: 2048, description: 'the signed token from the link' }) })
const Page = Type.String({ description: 'a small HTML page' })

const escape = (text: string) => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(title)}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem"><h1>${escape(title)}</h1>${body}</body></html>`
const form = (question: string, action: string, button: string, extra = '') =>
  `<p>${escape(question)}</p><form method="post" action="${escape(action)}"><button type="submit" name="answer" value="yes">${escape(button)}</button>${extra}</form>`

const links: FastifyPluginAsyncTypebox = async (fastify) => {
  const { outreach } = fastify
  // Forms and one-click unsubscribes post application/x-www-form-urlencoded; nothing in it is needed.
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))))
  })
  const html = { 'text/html': { schema: Page } }

  fastify.get('/unsubscribe', {
    config: { public: true },
    schema: {
      tags: ['nudges'],
      operationId: 'unsubscribePage',
      summary: 'The page an unsubscribe link opens (a button; nothing changes until it is pressed)',
      querystring: Token,
      produces: ['text/html'],
      response: { 200: { description: 'The page', content: html }, ...errors(400) }
    }
  }, async (request, reply) => {
    const link = readUnsubscribeToken(outreach, request.query.token)
    if (!link) throw invalid('This unsubscribe link is not valid.')
    return reply.type('text/html; charset=utf-8').send(page('Unsubscribe',
      form(`Stop all messages from Resolution Autopilot to ${link.address}?`, `?token=${encodeURIComponent(request.query.token)}`, 'Unsubscribe')))
  })

  fastify.post('/unsubscribe', {
    config: { public: true },
    schema: {
      tags: ['nudges'],
      operationId: 'unsubscribe',
      summary: 'Unsubscribe an address (the link\'s button, or a mail app\'s one-click unsubscribe)',
      querystring: Token,
      produces: ['text/html'],
      response: { 200: { description: 'Unsubscribed', content: html }, ...errors(400) }
    }
  }, async (request, reply) => {
    const link = readUnsubscribeToken(outreach, request.query.token)
    if (!link) throw invalid('This unsubscribe link is not valid.')
    const said = link.kind === 'email'
      ? await unsubscribeEmail(outreach, link.userId, link.address)
      : await buddyOptOut(outreach, link.userId, link.address)
    return reply.type('text/html; charset=utf-8').send(page('Unsubscribed', `<p>${escape(said)}</p>`))
  })

  fastify.get('/buddy-invitation', {
    config: { public: true },
    schema: {
      tags: ['nudges'],
      operationId: 'buddyInvitationPage',
      summary: 'The page a buddy invitation opens (accept or decline; nothing changes until a button is pressed)',
      querystring: Token,
      produces: ['text/html'],
      response: { 200: { description: 'The page', content: html }, ...errors(400) }
    }
  }, async (request, reply) => {
    if (!readInvitation(outreach, request.query.token)) throw invalid('This invitation link is not valid.')
    return reply.type('text/html; charset=utf-8').send(page('Be an accountability buddy?',
      form('Accept to receive an occasional short message when your friend could use encouragement. You can stop at any time.',
        `?token=${encodeURIComponent(request.query.token)}`, 'Accept', ' <button type="submit" name="answer" value="no">Decline</button>')))
  })

  fastify.post('/buddy-invitation', {
    config: { public: true },
    schema: {
      tags: ['nudges'],
      operationId: 'answerBuddyInvitation',
      summary: 'Accept (answer=yes, the default) or decline (answer=no) a buddy invitation',
      querystring: Token,
      produces: ['text/html'],
      response: { 200: { description: 'Answered', content: html }, ...errors(400, 404) }
    }
  }, async (request, reply) => {
    const answer = (request.body as { answer?: unknown } | undefined)?.answer
    const said = await answerInvitation(outreach, request.query.token, answer !== 'no')
    return reply.type('text/html; charset=utf-8').send(page('Thank you', `<p>${escape(said)}</p>`))
  })
}

export default links
