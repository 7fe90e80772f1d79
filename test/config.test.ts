import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError, loadConfig, readEnvironment } from '../src/config.js'
import { tempDir } from './helpers/build-app.js'

t.test('defaults are the documented ones', async t => {
  const dir = await tempDir(t)
  const config = loadConfig({ DATA_DIR: dir })
  t.match(config, {
    NODE_ENV: 'development',
    PORT: 3001,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    TRUST_PROXY: false,
    FRONTEND_URL: ['http://localhost:3000'],
    SESSION_TTL: 3600,
    REDIS_PREFIX: 'resolution:',
    CACHE_TTL: 300,
    BODY_LIMIT: 65536
  })
  t.equal(config.REDIS_URL, undefined)
})

t.test('a bad value is one clear error naming the variable', async t => {
  const dir = await tempDir(t)
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'abc' }, /^Invalid configuration: PORT must be an integer \(got "abc"\)$/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT must be <= 65535/],
    [{ SESSION_TTL: '10' }, /^Invalid configuration: SESSION_TTL must be >= 60/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL must be one of: fatal, error/],
    [{ NODE_ENV: 'staging' }, /^Invalid configuration: NODE_ENV must be one of: development, production, test/],
    [{ REDIS_URL: 'localhost:6379' }, /^Invalid configuration: REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL$/],
    [{ SESSION_SECRET: 'short' }, /^Invalid configuration: SESSION_SECRET must be at least 32 characters$/],
    [{ NODE_ENV: 'production' }, /^Invalid configuration: SESSION_SECRET is required when NODE_ENV=production/],
    [{ PASSWORD_HASH_MEMORY_KIB: '512' }, /^Invalid configuration: PASSWORD_HASH_MEMORY_KIB must be >= 1024/],
    [{ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), PASSWORD_HASH_MEMORY_KIB: '4096' },
      /^Invalid configuration: PASSWORD_HASH_MEMORY_KIB must be >= 19456 when NODE_ENV=production/]
  ]
  for (const [env, message] of cases) {
    t.throws(() => loadConfig({ DATA_DIR: dir, ...env }), new ConfigError(''), JSON.stringify(env))
    try { loadConfig({ DATA_DIR: dir, ...env }) } catch (err) { t.match((err as Error).message, message) }
  }
  try {
    loadConfig({ DATA_DIR: dir, SESSION_SECRET: 'secret-canary' })
  } catch (err) {
    t.notMatch((err as Error).message, /secret-canary/, 'a secret is never echoed')
  }
})

t.test('TRUST_PROXY accepts off, on, a hop count or proxy addresses', async t => {
  const dir = await tempDir(t)
  const trust = (v: string) => loadConfig({ DATA_DIR: dir, TRUST_PROXY: v }).TRUST_PROXY
  t.equal(trust('false'), false)
  t.equal(trust('true'), true)
  t.equal(trust('2'), 2)
  t.same(trust('10.0.0.0/8, 127.0.0.1'), ['10.0.0.0/8', '127.0.0.1'])
})

t.test('without SESSION_SECRET outside production one is generated once and kept in DATA_DIR', async t => {
  const dir = await tempDir(t)
  const first = loadConfig({ DATA_DIR: dir })
  t.equal(first.SESSION_SECRET_GENERATED, true)
  t.ok(first.SESSION_SECRET.length >= 32)
  const kept = (await readFile(join(dir, 'session-secret'), 'utf8')).trim()
  t.equal(kept, first.SESSION_SECRET)
  t.equal(loadConfig({ DATA_DIR: dir }).SESSION_SECRET, first.SESSION_SECRET, 'the same after a restart')
  const configured = loadConfig({ DATA_DIR: dir, SESSION_SECRET: 'x'.repeat(40) })
  t.equal(configured.SESSION_SECRET, 'x'.repeat(40))
  t.equal(configured.SESSION_SECRET_GENERATED, false)
})

t.test('.env is read and real environment variables win', async t => {
  const dir = await tempDir(t)
  await writeFile(join(dir, '.env'), 'PORT=4000\nHOST=0.0.0.0\n# a comment\nCACHE_TTL=60\n')
  const env = readEnvironment({ HOST: '10.1.1.1', DATA_DIR: dir }, dir)
  const config = loadConfig(env)
  t.equal(config.PORT, 4000)
  t.equal(config.CACHE_TTL, 60)
  t.equal(config.HOST, '10.1.1.1')
  t.same(readEnvironment({ DATA_DIR: dir }, join(dir, 'missing')), { DATA_DIR: dir }, 'no .env is fine')
})

t.test('the LLM provider follows the keys set, and a named provider needs its key', async t => {
  const dir = await tempDir(t)
  const llm = (env: Record<string, string>) => loadConfig({ DATA_DIR: dir, ...env }).LLM
  t.same(llm({}), { provider: 'offline', model: 'offline-coach' }, 'no key: the offline coach')
  t.match(llm({ GEMINI_API_KEY: 'g', OPENAI_API_KEY: 'o' }), { provider: 'gemini', model: 'gemini-2.5-flash', baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai/' })
  t.match(llm({ VENICE_API_KEY: 'v', GEMINI_API_KEY: 'g' }), { provider: 'venice', model: 'llama-3.3-70b', baseURL: 'https://api.venice.ai/api/v1' })
  t.match(llm({ OPENAI_API_KEY: 'o', LLM_MODEL: 'gpt-x' }), { provider: 'openai', model: 'gpt-x', apiKey: 'o' })
  t.match(llm({ LLM_PROVIDER: 'compatible', LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'llama3.1' }), { provider: 'compatible', apiKey: undefined })
  t.match(llm({ LLM_PROVIDER: 'offline', OPENAI_API_KEY: 'o' }), { provider: 'offline' }, 'an explicit offline wins over a key')
  for (const [env, message] of [
    [{ LLM_PROVIDER: 'venice' }, /LLM_PROVIDER=venice needs VENICE_API_KEY/],
    [{ LLM_PROVIDER: 'gemini', OPENAI_API_KEY: 'o' }, /LLM_PROVIDER=gemini needs GEMINI_API_KEY/],
    [{ LLM_PROVIDER: 'compatible' }, /LLM_PROVIDER=compatible needs LLM_BASE_URL/],
    [{ LLM_PROVIDER: 'compatible', LLM_BASE_URL: 'http://x/v1' }, /needs LLM_MODEL/],
    [{ LLM_PROVIDER: 'claude' }, /LLM_PROVIDER must be one of/],
    [{ LLM_TIMEOUT_MS: 'soon' }, /LLM_TIMEOUT_MS must be an integer/]
  ] as const) {
    t.throws(() => llm(env), { message }, JSON.stringify(env))
  }
  try {
    loadConfig({ DATA_DIR: dir, OPENAI_API_KEY: 'sk-secret-canary', LLM_TIMEOUT_MS: 'x' })
  } catch (err) {
    t.notMatch((err as Error).message, /sk-secret-canary/)
  }
})
