/** JSON.parse, or the text itself when it is not JSON (model output and tool arguments may be either). */
export function parseJsonOrText (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
