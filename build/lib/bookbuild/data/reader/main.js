// Load the reading system the URL names (?engine=foliate, the default, or
// epubjs): foliate-js is ES modules; epub.js is a classic script that wants
// JSZip as a global first.
const engine = new URLSearchParams(location.search).get('engine') ?? 'foliate'

const classic = src => new Promise((resolve, reject) => {
    const script = document.createElement('script')
    script.src = src
    script.onload = resolve
    script.onerror = () => reject(new Error(`could not load ${src}`))
    document.head.append(script)
})

if (engine === 'epubjs') {
    await classic('node_modules/jszip/dist/jszip.min.js')
    await classic('node_modules/epubjs/dist/epub.min.js')
    await import('./epubjs.js')
} else {
    await import('./foliate.js')
}
