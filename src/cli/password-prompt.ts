// Reads a password from the terminal without showing it. The terminal itself echoes what is typed
// unless echo is turned off, so hiding it from our own output is not enough: raw mode turns the
// terminal's echo (and its line editing and signal keys) off, and this reads key by key.
import type { Readable, Writable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'

/** process.stdin when it is a terminal; a test can stand in for it. */
export interface TerminalInput extends Readable {
  isTTY?: boolean
  isRaw?: boolean
  setRawMode?: (mode: boolean) => unknown
}

/** The user gave up at the prompt: Ctrl-C (exit code 130, as a shell reports SIGINT) or end of input. */
export class PromptAborted extends Error {
  constructor (message: string, readonly exitCode: number) {
    super(message)
    this.name = 'PromptAborted'
  }
}

export function canPrompt (input: TerminalInput): boolean {
  return input.isTTY === true && typeof input.setRawMode === 'function'
}

const CTRL_C = '\u0003'
const CTRL_D = '\u0004'
const CTRL_U = '\u0015'
const BACKSPACE = '\u007f'
const CTRL_H = '\b'
const ESC = '\u001b'

/**
 * Writes `prompt` to `output` and reads one line from the terminal `input` with echo off.
 * Enter ends it; Backspace/Ctrl-H deletes a character, Ctrl-U the whole entry; Ctrl-C aborts
 * (PromptAborted, exit code 130); Ctrl-D aborts on an empty entry (end of input) and otherwise
 * ends it like Enter. Escape sequences (arrow keys…) are ignored. The terminal's mode is restored
 * however it ends, and a newline is written, since the Enter itself was not echoed.
 */
export async function readHidden (input: TerminalInput, output: Writable, prompt: string): Promise<string> {
  if (!canPrompt(input)) throw new Error('readHidden needs a terminal')
  const wasRaw = input.isRaw === true
  // Echo goes off before the prompt appears, so nothing typed in answer to it is ever shown.
  input.setRawMode!(true)
  output.write(prompt)
  const decoder = new StringDecoder('utf8')
  let chars: string[] = []
  let escape: 'none' | 'start' | 'sequence' = 'none'

  try {
    return await new Promise<string>((resolve, reject) => {
      const finish = (error: Error | null) => {
        input.off('data', onData)
        input.off('end', onEnd)
        input.off('error', onError)
        if (error) reject(error)
        else resolve(chars.join(''))
      }
      const onEnd = () => finish(new PromptAborted('No password given (end of input).', 1))
      const onError = (err: Error) => finish(err)
      const onData = (chunk: Buffer | string) => {
        for (const char of typeof chunk === 'string' ? chunk : decoder.write(chunk)) {
          if (escape !== 'none') {
            // ESC [ or ESC O, then parameters, ended by a byte in @…~ (CSI / SS3 sequences).
            if (escape === 'start' && (char === '[' || char === 'O')) escape = 'sequence'
            else if (escape === 'start' || (char >= '@' && char <= '~')) escape = 'none'
            continue
          }
          if (char === '\r' || char === '\n') return finish(null)
          if (char === CTRL_C) return finish(new PromptAborted('Cancelled.', 130))
          if (char === CTRL_D) {
            if (chars.length === 0) return finish(new PromptAborted('No password given (end of input).', 1))
            return finish(null)
          }
          if (char === BACKSPACE || char === CTRL_H) chars.pop()
          else if (char === CTRL_U) chars = []
          else if (char === ESC) escape = 'start'
          else if (char >= ' ') chars.push(char)
          // any other control character is ignored
        }
      }
      input.on('data', onData)
      input.once('end', onEnd)
      input.once('error', onError)
      input.resume()
    })
  } finally {
    input.setRawMode!(wasRaw)
    // Paused, stdin no longer keeps the process alive once the run is done.
    input.pause()
    output.write('\n')
  }
}
