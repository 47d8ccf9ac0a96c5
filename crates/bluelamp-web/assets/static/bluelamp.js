// Bluelamp: start GOV.UK Frontend's components, and again on content that
// htmx swaps in. Hand-written (not produced by build.sh). Load with
//   <script type="module" src="/static/bluelamp.js"></script>
// after <script src="/static/htmx.min.js"></script>. No inline script, so a
// CSP of script-src 'self' plus the hash of the body-class snippet is enough.
import { initAll } from './govuk-frontend.min.js'

initAll()

if (window.htmx) {
  window.htmx.onLoad((el) => {
    if (el === document.body) return // already done by initAll() above
    // The scope's own element is not searched, so start from its parent;
    // components already started there raise InitError, which is expected.
    initAll({
      scope: el.parentElement || document,
      onError: (error) => {
        if (error.name !== 'InitError') console.error(error)
      }
    })
  })
}
