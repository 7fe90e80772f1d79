// The hidden password prompt's key handling, on a stand-in terminal (a real one: cli-terminal.test.ts).
import { PassThrough, Writable } from 'node:stream'
import t from 'tap'
import { PromptAborted, readHidden } from '../../src/cli/password-prompt.js'

/** A fake TTY: records every raw-mode switch; `type` sends keys as the terminal would. */
function terminal () {
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    modes: [] as boolean[],
    setRawMode (mode: boolean) {
      input.modes.push(mode)
      input.isRaw = mode
      return input
    }
  })
  let shown = ''
  const output = new Writable({ write (chunk, _enc, done) { shown += chunk; done() } })
  return { input, output, shown: () => shown, type: (...keys: Array<string | Buffer>) => { for (const key of keys) input.write(key) } }
}

async function prompt (...keys: Array<string | Buffer>) {
  const term = terminal()
  const answer = readHidden(term.input, term.output, 'Password: ')
  // Raw mode is on before the prompt is shown, so no key typed in answer to it is ever echoed.
  const rawWhenShown = term.input.isRaw && term.shown() === 'Password: '
  term.type(...keys)
  const result: { value?: string, error?: unknown } = await answer.then(value => ({ value }), (error: unknown) => ({ error }))
  return { ...result, term, rawWhenShown }
}

t.test('Enter ends the entry; raw mode is on while reading and restored after', async t => {
  const { value, term, rawWhenShown } = await prompt('s3cret pw\r')
  t.equal(value, 's3cret pw')
  t.ok(rawWhenShown, 'raw (no echo) before the prompt appears')
  t.same(term.input.modes, [true, false], 'restored to the mode it was in')
  t.equal(term.shown(), 'Password: \n', 'only the prompt and a newline: nothing typed is shown')
  t.ok(term.input.isPaused(), 'stdin paused, so it does not keep the process alive')
})

t.test('a terminal already in raw mode is left in raw mode', async t => {
  const term = terminal()
  term.input.isRaw = true
  const answer = readHidden(term.input, term.output, 'Password: ')
  term.type('x\n')
  t.equal(await answer, 'x')
  t.same(term.input.modes, [true, true])
})

t.test('Backspace, Ctrl-H and Ctrl-U edit; escape sequences and other control keys are ignored', async t => {
  t.equal((await prompt('abcd\x7f\x7fX\r')).value, 'abX', 'Backspace (DEL) deletes the last character')
  t.equal((await prompt('ab\bc\r')).value, 'ac', 'Ctrl-H too')
  t.equal((await prompt('wrong\x15right\r')).value, 'right', 'Ctrl-U clears the entry')
  t.equal((await prompt('pa\x1b[Dss\x1bOA\x1b[3~\x1bxw\x01\x1ad\r')).value, 'passwd', 'arrow/delete keys, Alt-x, Ctrl-A, Ctrl-Z')
  t.equal((await prompt('pä\x7fa', 'ß✓\x7f\r')).value, 'paß', 'Backspace deletes a whole character, not a byte')
  const euro = Buffer.from('€')
  t.equal((await prompt(euro.subarray(0, 1), euro.subarray(1), '\r')).value, '€', 'a character split across reads')
})

t.test('Ctrl-C aborts with exit code 130 and a newline, restoring the terminal', async t => {
  const { error, term } = await prompt('secret\x03more\r')
  t.ok(error instanceof PromptAborted)
  t.equal((error as PromptAborted).exitCode, 130)
  t.equal(term.shown(), 'Password: \n')
  t.same(term.input.modes, [true, false])
})

t.test('Ctrl-D: on an empty entry it aborts (end of input), after some characters it ends the entry', async t => {
  const empty = await prompt('\x04')
  t.ok(empty.error instanceof PromptAborted)
  t.equal((empty.error as PromptAborted).exitCode, 1)
  t.match((empty.error as Error).message, /No password given/)
  t.same(empty.term.input.modes, [true, false])
  t.equal((await prompt('abc\x04')).value, 'abc')
})

t.test('the input closing aborts, restoring the terminal', async t => {
  const term = terminal()
  const answer = readHidden(term.input, term.output, 'Password: ').catch((e: unknown) => e)
  term.input.end('abc')
  const error = await answer
  t.ok(error instanceof PromptAborted)
  t.same(term.input.modes, [true, false])
})
