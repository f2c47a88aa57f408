// epub.js (the engine inside react-reader, calibre-web's reader and many apps)
// as bookbuild's reader: paginated, links followed as epub.js follows them, the
// contents panel from epub.js's own parsing of the nav, as the apps build it.
import { start } from './harness.js'

let book, rendition, opfDir = ''

const sectionPath = index => opfDir + (book.spine.get(index)?.href ?? '')

const contents = () => rendition.getContents().map(c =>
    ({ doc: c.document, path: sectionPath(c.sectionIndex), frame: c.document.defaultView.frameElement }))

// After epub.js has followed a link, move the keyboard focus to its target, as
// a browser does for a fragment link, so Tab continues from there.
let followed = 0
const focusAfterLink = href => {
    const id = decodeURIComponent(href.split('#')[1] ?? '')
    const generation = ++followed  // a later link cancels this one
    if (!id) return
    const deadline = Date.now() + 3000
    const attempt = () => {
        if (generation !== followed) return
        const el = contents().map(c => c.doc.getElementById(id)).find(Boolean)
        if (!el && Date.now() < deadline) return setTimeout(attempt, 30)
        if (!el) return
        if (!el.hasAttribute('tabindex')) {
            el.setAttribute('tabindex', '-1')
            el.addEventListener('blur', () => el.removeAttribute('tabindex'), { once: true })
        }
        el.focus({ preventScroll: true })
    }
    setTimeout(attempt, 30)
}

const adapter = {
    engine: 'epubjs',
    async open(url, keys) {
        book = globalThis.ePub(url, { openAs: 'epub' })
        await book.ready
        const opf = book.container?.packagePath ?? ''
        opfDir = opf.includes('/') ? opf.slice(0, opf.lastIndexOf('/') + 1) : ''
        rendition = book.renderTo(document.querySelector('#book'),
            { width: '100%', height: '100%', flow: 'paginated', spread: 'auto' })
        rendition.on('keydown', keys)
        rendition.hooks.content.register(c => {
            c.on('linkClicked', href => focusAfterLink(href))
        })
        await book.loaded.navigation
    },
    title: () => book.packaging?.metadata?.title,
    toc: () => book.navigation?.toc ?? [],
    pageList: () => (book.pageList?.pageList ?? []).map(p => ({ label: String(p.page), href: p.href })),
    async show(where) {
        await rendition.display(where?.cfi ?? undefined)
    },
    go: href => rendition.display(href),
    goTo: (path, id) => rendition.display(path.slice(opfDir.length) + (id ? `#${id}` : '')),
    next: () => rendition.next(),
    prev: () => rendition.prev(),
    contents,
    area: () => document.querySelector('#book').getBoundingClientRect(),
    location: () => {
        const loc = rendition.currentLocation()
        return { cfi: loc?.start?.cfi, path: loc?.start ? sectionPath(loc.start.index) : null }
    },
}

start(adapter)
