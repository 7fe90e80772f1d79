// A tiny client-side router over the History API: the service answers every app path with
// index.html, so /coach or /plan survive a reload and can be bookmarked.
import { useEffect, useState } from 'preact/hooks'

const listeners = new Set<() => void>()

export function navigate (to: string): void {
  if (to === location.pathname + location.search) return
  history.pushState(null, '', to)
  for (const fn of listeners) fn()
}

export function usePath (): string {
  const [path, setPath] = useState(location.pathname)
  useEffect(() => {
    const update = () => setPath(location.pathname)
    listeners.add(update)
    addEventListener('popstate', update)
    return () => { listeners.delete(update); removeEventListener('popstate', update) }
  }, [])
  return path
}

/** For <a href> inside the app: a plain left click navigates without a page load. */
export function linkClick (event: MouseEvent): void {
  const a = (event.currentTarget as HTMLAnchorElement)
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || a.target) return
  event.preventDefault()
  navigate(a.getAttribute('href')!)
}
