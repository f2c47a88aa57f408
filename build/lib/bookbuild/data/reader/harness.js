// What both reading systems share in bookbuild's reader page: the toolbar,
// the contents and page-list panel built from the engine's own parsing of the
// nav, keyboard page turns, reloading when the book is rebuilt, and `window.bb`,
// the small API the reader tests and the screenshots drive the page through.
// Engine-specific code lives in foliate.js and epubjs.js (the "adapter").

const $ = s => document.querySelector(s)
const params = new URLSearchParams(location.search)
export const option = (name, fallback) => params.get(name) ?? fallback

// The zip path of a document ("EPUB/text/c02.xhtml") from a href relative to
// a file in the zip, the way EPUB readers resolve it.
export const joinPath = (base, href) => {
    const url = new URL(href, 'zip:/' + base)
    return decodeURIComponent(url.pathname.slice(1)) + (url.hash ? url.hash : '')
}

// Whether `inner` is `outer` or inside it, across shadow roots (foliate-js
// keeps its iframes in closed shadow roots).
const composedContains = (outer, inner) => {
    for (let n = inner; n; n = n.parentNode ?? n.host) if (n === outer) return true
    return false
}

const normalize = s => (s ?? '').replace(/\s+/g, ' ').trim()

// Where an element is and whether a reader sees it: in the page's viewport,
// inside the reading area, of non-zero size, not hidden by CSS, and on top
// at its first line (so a pop-up or a column edge over it counts as hidden).
export const measure = (el, frame, area) => {
    if (!el) return { found: false }
    const frameRect = frame.getBoundingClientRect()
    const win = el.ownerDocument.defaultView
    const first = el.getClientRects()[0] ?? el.getBoundingClientRect()
    const box = el.getBoundingClientRect()
    const rect = { x: box.x + frameRect.x, y: box.y + frameRect.y, width: box.width, height: box.height }
    const line = { x: first.x + frameRect.x, y: first.y + frameRect.y, width: first.width, height: first.height }
    const view = { x: Math.max(0, area.x), y: Math.max(0, area.y),
        right: Math.min(innerWidth, area.x + area.width), bottom: Math.min(innerHeight, area.y + area.height) }
    const cx = line.x + line.width / 2, cy = line.y + line.height / 2
    const inView = line.width >= 0 && line.x >= view.x - 1 && line.x + line.width <= view.right + 1
        && line.y >= view.y - 1 && line.y + line.height <= view.bottom + 1
    let onTop = false
    if (inView) {
        const hit = win.document.elementFromPoint(cx - frameRect.x, cy - frameRect.y)
        const top = document.elementFromPoint(cx, cy)
        // A marker of no width (an empty page-break span) is on top when its
        // line is: what is hit there is its parent or a neighbour in it.
        const mine = hit === el || el.contains(hit)
            || box.width === 0 && (hit?.contains(el) || el.parentElement?.contains(hit))
        onTop = !!hit && mine && !!top && composedContains(top, frame)
    }
    const style = win.getComputedStyle(el)
    let visible = style.visibility !== 'hidden' && style.display !== 'none'
    for (let e = el; e && visible; e = e.parentElement) {
        const s = win.getComputedStyle(e)
        visible = s.display !== 'none' && Number(s.opacity) > 0
    }
    return {
        found: true, rect, line, click: { x: cx, y: cy }, inView, onTop, visible,
        text: normalize(el.innerText ?? el.textContent), tag: el.localName,
    }
}

// The styles the tests judge a note by, for the element and its paragraphs.
export const noteStyle = el => {
    const win = el.ownerDocument.defaultView
    const paragraphs = [...el.querySelectorAll('p')]
    const body = win.getComputedStyle(el.ownerDocument.body)
    return {
        bodyFontSize: parseFloat(body.fontSize),
        paragraphs: paragraphs.map(p => {
            const s = win.getComputedStyle(p)
            return { textAlign: s.textAlign, textIndent: parseFloat(s.textIndent),
                fontSize: parseFloat(s.fontSize) }
        }),
    }
}

// The contents and page-list panel: the reader's own lists, as an app shows them.
const fillList = (ol, items, go, depth = 0) => {
    for (const item of items ?? []) {
        const li = document.createElement('li')
        const a = document.createElement('a')
        a.textContent = normalize(item.label)
        a.href = '#'
        a.dataset.href = item.href ?? ''
        a.style.paddingInlineStart = `${0.75 + depth * 1.25}em`
        a.addEventListener('click', e => {
            e.preventDefault()
            closePanel()
            go(item.href)
        })
        li.append(a)
        ol.append(li)
        if (item.subitems?.length) fillList(ol, item.subitems, go, depth + 1)
    }
}

const openPanel = name => {
    for (const list of document.querySelectorAll('#panel ol')) list.hidden = list.id !== name
    $('#panel').classList.add('show')
    $('#panel').setAttribute('aria-label', name === 'toc-list' ? 'Contents' : 'Pages')
}
export const closePanel = () => $('#panel').classList.remove('show')

export const showPopup = content => {
    $('#popup-body').replaceChildren(content)
    $('#popup').hidden = false
}
export const closePopup = () => {
    $('#popup').hidden = true
    $('#popup-body').replaceChildren()
}

// Rebuilt books reload in place (bookbuild preview): the page polls the
// server's version of the book and reopens at the same place when it changes.
const watchVersion = async (url, where) => {
    let known = null
    for (;;) {
        await new Promise(r => setTimeout(r, 700))
        try {
            const res = await fetch(url, { cache: 'no-store' })
            const version = await res.text()
            if (known !== null && version !== known) {
                sessionStorage.setItem('bb-location', JSON.stringify(where()))
                location.reload()
                return
            }
            known = version
        } catch { /* the server is restarting: try again */ }
    }
}

export const start = async adapter => {
    const book = option('book')
    const api = {
        engine: adapter.engine,
        ready: false,
        error: null,
        notes: option('popups', '1') === '1' ? 'popup' : 'link',
        openPanel, closePanel,
        toc: () => [...document.querySelectorAll('#toc-list a')]
            .map(a => ({ label: a.textContent, href: a.dataset.href })),
        pages: () => [...document.querySelectorAll('#page-list a')]
            .map(a => ({ label: a.textContent, href: a.dataset.href })),
        // Test set-up and inspection, by zip path and element id.
        goTo: async (path, id) => adapter.goTo(path, id),
        next: () => adapter.next(),
        prev: () => adapter.prev(),
        shown: () => adapter.contents().map(c => c.path),
        find: (path, id, selector) => {
            for (const c of adapter.contents()) {
                if (c.path !== path) continue
                let el = id ? c.doc.getElementById(id) : c.doc.body
                if (el && selector) el = el.querySelector(selector)
                if (el) return { el, c }
            }
            return null
        },
        measure: (path, id, selector) => {
            const hit = api.find(path, id, selector)
            return hit ? measure(hit.el, hit.c.frame, adapter.area()) : { found: false }
        },
        // The element a reader's eye lands on first: the first heading of the
        // document shown, for "did the contents entry land on its heading".
        firstHeading: path => {
            const c = adapter.contents().find(c => c.path === path)
            const el = c?.doc.querySelector('h1, h2, h3, h4, h5, h6')
            return el ? { id: el.id, ...measure(el, c.frame, adapter.area()) } : { found: false }
        },
        // Computed styles of the elements matching `selector` in a shown document.
        styles: (path, selector) => {
            const c = adapter.contents().find(c => c.path === path)
            if (!c) return null
            const win = c.doc.defaultView
            return [...c.doc.querySelectorAll(selector)].map(el => {
                const s = win.getComputedStyle(el)
                return { tag: el.localName, text: normalize(el.textContent), textAlign: s.textAlign,
                    listStyleType: s.listStyleType, display: s.display }
            })
        },
        // For each paragraph with a note reference: its height, and the height
        // of the same paragraph with each reference replaced by an empty box of
        // the same width (so the lines break alike). Equal heights: the
        // references do not push their lines apart.
        lineHeights: path => {
            const c = adapter.contents().find(c => c.path === path)
            if (!c) return null
            const height = el => [...el.getClientRects()].reduce((h, r) => h + r.height, 0)
            return [...c.doc.querySelectorAll('p')].filter(p => p.querySelector('sup')).map(p => {
                const clone = p.cloneNode(true)
                const sups = [...p.querySelectorAll('sup')]
                clone.querySelectorAll('sup').forEach((s, k) => {
                    const box = c.doc.createElement('span')
                    box.style.cssText = `display:inline-block;height:0;width:${sups[k].getBoundingClientRect().width}px`
                    s.replaceWith(box)
                })
                clone.removeAttribute('id')
                // The same indent as the original.
                clone.style.textIndent = c.doc.defaultView.getComputedStyle(p).textIndent
                // Measured first, then the clone put where the original stands
                // (before it), so rules keyed to the place ("h1 + p::first-line",
                // a theme's small capitals) style the clone as they did the original.
                const withRefs = height(p)
                p.before(clone)
                const result = { text: normalize(p.textContent).slice(0, 60), with: withRefs, without: height(clone) }
                clone.remove()
                return result
            })
        },
        title: path => adapter.contents().find(c => c.path === path)?.doc.title ?? null,
        focusNextTo: (path, id) => {
            // Put the keyboard focus on the link before an element, so that
            // Tab reaches it, or on the link after it, for Shift+Tab; the key
            // to press is returned.
            const hit = api.find(path, id)
            if (!hit) return null
            const doc = hit.el.ownerDocument
            const links = [...doc.querySelectorAll('a[href], [tabindex]')].filter(a => a !== hit.el)
            const follows = a => a.compareDocumentPosition(hit.el) & Node.DOCUMENT_POSITION_FOLLOWING
            const before = links.filter(follows).pop()
            const after = links.find(a => !follows(a))
            doc.defaultView.focus()
            if (!before && !after) {  // the only link of its document: Tab from its start
                doc.activeElement?.blur?.()
                return 'Tab'
            }
            ;(before ?? after).focus({ preventScroll: true })
            return before ? 'Tab' : 'Shift+Tab'
        },
        focused: () => {
            for (const c of adapter.contents()) {
                const el = c.doc.activeElement
                if (c.doc.hasFocus() && el && el !== c.doc.body)
                    return { path: c.path, id: el.id, href: el.getAttribute('href'), text: normalize(el.textContent) }
            }
            return null
        },
        popup: () => {
            const box = $('#popup')
            if (box.hidden) return { shown: false }
            const doc = adapter.popupContent?.()
            const inner = doc?.body ? doc : null  // null while the note's view still loads
            const r = box.getBoundingClientRect()
            // The note's first line must be painted in the pop-up, not only
            // present in its document.
            const first = inner?.body.querySelector('p, li, div, blockquote')
            const line = first ? measure(first, inner.defaultView.frameElement, r) : null
            return {
                shown: true,
                rect: { x: r.x, y: r.y, width: r.width, height: r.height },
                inView: r.width > 0 && r.height > 0 && r.x >= 0 && r.y >= 0
                    && r.right <= innerWidth && r.bottom <= innerHeight,
                firstLine: line,
                text: inner ? normalize(inner.body.innerText) : null,
                style: inner ? noteStyle(inner.body) : null,
            }
        },
        closePopup,
        location: () => adapter.location(),
    }
    globalThis.bb = api
    $('#toc-button').addEventListener('click', () => openPanel('toc-list'))
    $('#pages-button').addEventListener('click', () => openPanel('page-list'))
    $('#panel-close').addEventListener('click', closePanel)
    $('#popup-close').addEventListener('click', closePopup)
    $('#prev-button').addEventListener('click', () => adapter.prev())
    $('#next-button').addEventListener('click', () => adapter.next())
    const keys = e => {
        if (e.key === 'Escape') { closePopup(); closePanel() }
        else if (e.key === 'ArrowLeft' || e.key === 'PageUp') adapter.prev()
        else if (e.key === 'ArrowRight' || e.key === 'PageDown') adapter.next()
    }
    document.addEventListener('keydown', keys)
    try {
        await adapter.open(book, keys)
        document.title = adapter.title() || document.title
        $('#book-title').textContent = adapter.title() ?? ''
        fillList($('#toc-list'), adapter.toc(), href => adapter.go(href))
        fillList($('#page-list'), adapter.pageList(), href => adapter.go(href))
        $('#pages-button').hidden = !adapter.pageList()?.length
        const saved = sessionStorage.getItem('bb-location')
        sessionStorage.removeItem('bb-location')
        await adapter.show(saved ? JSON.parse(saved) : null)
        api.ready = true
        if (option('watch')) watchVersion(option('watch'), () => adapter.location())
    } catch (e) {
        api.error = String(e?.stack ?? e)
        console.error(e)
    }
}
