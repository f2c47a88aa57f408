-- A Pandoc that stays: bookbuild's requests on stdin, one answer each on stdout.
-- Run as `pandoc lua pandoc_worker.lua`; it reads and writes with Pandoc's own
-- reader and writer (pandoc.read, pandoc.write), so a chapter comes out exactly
-- as from the pandoc command, without a process per chapter.
--
-- read:  {"op":"read","format":reader} then a line of JSON text  -> {"log":[...]} then the AST line
--        (reader: Pandoc's name of the dialect, extensions included, e.g. "gfm+footnotes")
-- write: {"op":"write"} then the AST line        -> {"html":"..."}
-- write: {"op":"write","format":"typst"} then the AST line -> {"typst":"..."}
-- references: {"op":"references","bibliography":[paths]} then "null"
--             -> {"ids":[...]}, every key the bibliography defines
-- cite:  {"op":"cite","bibliography":[...],"csl":path,"lang":tag,"nocite":[keys],
--        "suppress":bool} then the AST line (or "null": an empty document)
--        -> {"log":[...]} then the AST line after Pandoc's citeproc
-- A failure answers {"error":"..."} (and no second line).
local html_options = {html_math_method = 'mathml', wrap_text = 'none'}
local typst_options = {wrap_text = 'none'}

local function answer(value)
  io.write(pandoc.json.encode(value), '\n')
end

local function since(before)
  local log, entries = PANDOC_STATE.log, {}
  for i = before + 1, #log do entries[#entries + 1] = log[i] end
  return entries
end

-- The citeproc settings of a request, as the document's metadata.
local function with_meta(doc, request)
  local files = {}
  for _, path in ipairs(request.bibliography) do files[#files + 1] = pandoc.MetaString(path) end
  doc.meta.bibliography = pandoc.MetaList(files)
  if request.csl then doc.meta.csl = pandoc.MetaString(request.csl) end
  if request.lang then doc.meta.lang = pandoc.MetaString(request.lang) end
  doc.meta['suppress-bibliography'] = request.suppress == true
  -- citeproc would read this file (or fetch this URL) wherever a chapter's
  -- metadata points: a book's citation data is only what bookbuild hands over.
  doc.meta['citation-abbreviations'] = nil
  local cites = {}
  for _, key in ipairs(request.nocite or {}) do
    cites[#cites + 1] = pandoc.Cite('@' .. key, {pandoc.Citation(key, 'AuthorInText')})
  end
  doc.meta.nocite = pandoc.Inlines(cites)
  return doc
end

local handlers = {
  read = function(payload, request)
    local text = pandoc.json.decode(payload, false)
    local before = #PANDOC_STATE.log
    local doc = pandoc.read(text, request.format)
    local ast = pandoc.write(doc, 'json')
    answer({log = since(before)})
    io.write(ast, '\n')
  end,
  references = function(_, request)
    request.nocite = {'*'}  -- references() lists only what is cited
    local ids = {}
    for _, ref in ipairs(pandoc.utils.references(with_meta(pandoc.Pandoc({}), request))) do
      ids[#ids + 1] = ref.id
    end
    answer({ids = ids})
  end,
  cite = function(payload, request)
    local doc = payload == 'null' and pandoc.Pandoc({}) or pandoc.read(payload, 'json')
    local before = #PANDOC_STATE.log
    local ast = pandoc.write(pandoc.utils.citeproc(with_meta(doc, request)), 'json')
    answer({log = since(before)})
    io.write(ast, '\n')
  end,
  write = function(payload, request)
    local doc = pandoc.read(payload, 'json')
    if request.format == 'typst' then
      answer({typst = pandoc.write(doc, 'typst-citations', typst_options) .. '\n'})
    else
      answer({html = pandoc.write(doc, 'html5', html_options) .. '\n'})
    end
  end,
}

while true do
  local line = io.read('l')
  if not line then break end
  local request = pandoc.json.decode(line, false)
  local payload = io.read('l')
  local ok, err = pcall(handlers[request.op], payload, request)
  if not ok then answer({error = tostring(err)}) end
  io.flush()
end
