// The shape of one user's file: all of their data (src/store/user-data.ts) in one document, so a
// per-user read or write never touches another user's data (cost independent of how many users
// exist) and "export" / "delete my account" are one file each.
// Bump USER_DOC_VERSION and add a step to migrate-user-doc.ts whenever this shape changes.
import type { UserData } from '../user-data.js'

export const USER_DOC_VERSION = 6

export type UserDoc = UserData
