// foliate-js (the engine of the Foliate app and of Readest) as bookbuild's reader:
// paginated, notes in a pop-up as Foliate shows them (or followed as links with
// ?popups=0), the reader's own parsing of the nav for the contents panel.
import './node_modules/foliate-js/view.js'
import { FootnoteHandler } from './node_modules/foliate-js/footnotes.js'
import { start, showPopup, closePopup } from './harness.js'

// The user style Foliate's own demo reader (reader.js) applies to every book:
// justified, hyphenated paragraphs at 1.4. A book's note styles must hold
// against it, as they must in the apps built on foliate-js.
const USER_CSS = `
    p, li, blockquote, dd {
        line-height: 1.4;
        text-align: justify;
        -webkit-hyphens: auto;
        hyphens: auto;
        widows: 2;
    }
`

let view
let popupView = null
const footnotes = new FootnoteHandler()

// As the Foliate app does: the note is rendered by a second view of the book,
// in the pop-up, scrolled, with the document cut down to the note's contents.
footnotes.addEventListener('before-render', e => {
    const { view: noteView } = e.detail
    popupView = noteView
    showPopup(noteView)
    noteView.renderer.setAttribute('flow', 'scrolled')
    noteView.renderer.setAttribute('margin', '0px')
    noteView.renderer.setAttribute('gap', '5%')
    noteView.renderer.setStyles?.(USER_CSS)
})

const sectionPath = index => view.book.sections[index]?.id

const contents = () => view.renderer.getContents().map(({ doc, index }) =>
    ({ doc, path: sectionPath(index), frame: doc.defaultView.frameElement }))

// Move the keyboard focus to where a link led, as a browser does for a
// fragment link, so Tab continues from the note (or back at the reference).
// Engine bug worked around here and in the link handler: foliate-js 1.0.1's
// paginator scrolls to any element that gets the focus (its `focusin`
// handler, one animation frame later), so a link that keeps the focus after
// it was clicked snaps the page back from its target to itself. Readest, built
// on foliate-js, met the same handler (readest/readest#906, fixed there by
// readest/readest#928); no foliate-js issue for it was found.
const afterFrames = n => new Promise(resolve => {
    const step = k => k ? requestAnimationFrame(() => step(k - 1)) : resolve()
    step(n)
})

const focusTarget = async href => {
    const [path, id] = href.split('#')
    await afterFrames(1)
    const c = contents().find(c => c.path === path)
    const el = id ? c?.doc.getElementById(id) : null
    if (!el) return
    if (!el.hasAttribute('tabindex')) {
        el.setAttribute('tabindex', '-1')
        el.addEventListener('blur', () => el.removeAttribute('tabindex'), { once: true })
    }
    el.focus({ preventScroll: true })
}

const adapter = {
    engine: 'foliate',
    async open(url, keys) {
        view = document.createElement('foliate-view')
        document.querySelector('#book').append(view)
        await view.open(url)
        view.renderer.setAttribute('flow', 'paginated')
        view.renderer.setStyles?.(USER_CSS)
        view.addEventListener('load', ({ detail: { doc } }) => {
            doc.addEventListener('keydown', keys)
        })
        view.addEventListener('link', e => {
            closePopup()
            const { a, href } = e.detail
            if (globalThis.bb.notes === 'popup') {
                const shown = footnotes.handle(view.book, e)
                if (shown) return
            }
            e.preventDefault()
            a.blur()
            // Let the paginator's pending focusin scroll (queued for the next
            // animation frame when the click focused the link) run first, so
            // it cannot snap the page back after the jump.
            afterFrames(2).then(() => view.goTo(href)).then(() => focusTarget(href))
                .catch(err => console.error(err))
        })
    },
    title() {
        const t = view.book.metadata?.title
        return typeof t === 'string' ? t : Object.values(t ?? {})[0]
    },
    toc: () => view.book.toc ?? [],
    pageList: () => view.book.pageList ?? [],
    async show(where) {
        if (where?.cfi) await view.goTo(where.cfi)
        else await view.init({ showTextStart: false })
    },
    // Every jump first lets a pending focusin scroll run (the paginator bug
    // above), so that it cannot land after the jump and undo it.
    go: href => afterFrames(2).then(() => view.goTo(href)),
    goTo: (path, id) => afterFrames(2).then(() => view.goTo(id ? `${path}#${id}` : path)),
    next: () => view.next(),
    prev: () => view.prev(),
    contents,
    area: () => view.getBoundingClientRect(),
    location: () => ({ cfi: view.lastLocation?.cfi, path: sectionPath(view.renderer.getContents()[0]?.index) }),
    popupContent: () => popupView?.renderer.getContents()[0]?.doc ?? null,
}

start(adapter)
