// A process killed mid-write (kill -9, power loss) can leave a `*.tmp` beside a user's file or a
// username claim: the new version was being written when it died, so the old file is still the
// truth (durable-json-file.ts). Start-up removes these leftovers — safely, as the data-directory
// lock guarantees no other process is writing — so they neither pile up nor end up in backups.
import { readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'

const SHARDED_DIRS = ['users', 'usernames', 'calendars', 'calendar-tokens']

/** Removes every `*.tmp` in the sharded folders under `dataDir`; returns how many there were. */
export async function removeTempLeftovers (dataDir: string): Promise<number> {
  let removed = 0
  for (const top of SHARDED_DIRS) {
    const shards = await readdir(join(dataDir, top), { withFileTypes: true }).catch(() => [])
    for (const shard of shards) {
      if (!shard.isDirectory()) continue
      const dir = join(dataDir, top, shard.name)
      for (const name of await readdir(dir)) {
        if (!name.endsWith('.tmp')) continue
        await unlink(join(dir, name)).catch(err => { if (err.code !== 'ENOENT') throw err })
        removed++
      }
    }
  }
  return removed
}
