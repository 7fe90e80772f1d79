import t from 'tap'
import { USER_DOC_VERSION } from '../src/store/user-doc.js'
t.equal(USER_DOC_VERSION, 1)
