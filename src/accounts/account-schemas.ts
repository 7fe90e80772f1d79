// The account's shapes: what a valid username, password and time zone are, the public view of a
// user, and the stored account (the entity type is derived from its schema).
import { Type, type Static } from 'typebox'
import { Nullable, ref } from '../shared/http-schemas.js'

/** The one definition of a valid username (the API, the username index and the CLI use it). */
export const USERNAME_PATTERN = /^[a-z0-9_.-]{3,32}$/

export const Username = Type.String({
  pattern: USERNAME_PATTERN.source,
  description: "3–32 characters: lowercase letters, digits, '_', '.' or '-'"
})

export const Password = Type.String({ minLength: 8, maxLength: 1024, description: '8–1024 characters' })

export const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'an IANA time zone name such as Europe/Berlin' })

export const PublicUser = Type.Object({
  id: Type.String(),
  username: Type.String(),
  timezone: Type.String(),
  resolution: Nullable(Type.String()),
  created_at: Type.String({ format: 'date-time' })
}, { $id: 'PublicUser' })

export const SessionReply = Type.Object({
  user: ref(PublicUser),
  sessionId: Type.String({ description: 'the session credential: send it back as the sessionId cookie or the x-session-id header' })
}, { $id: 'SessionReply' })

export const UserReply = Type.Object({ user: ref(PublicUser) }, { $id: 'UserReply' })

export type PublicUser = Static<typeof PublicUser>

/** The stored account; only PublicUser's fields ever leave the service. */
export const Account = Type.Object({
  ...PublicUser.properties,
  /** argon2id (PHC string) or, before it, scrypt$N$r$p$salt$hash — never leaves the service */
  password_hash: Type.String(),
  updated_at: Type.String({ format: 'date-time' })
})

export type Account = Static<typeof Account>
