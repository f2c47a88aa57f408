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

-- bookdown's own syntax, which bookdown rewrites in Pandoc's output with regular
-- expressions (R/html.R, R/ebook.R); here the same patterns meet the AST's text,
-- so code never matches. `(\#fig:x)` or `(\#tab:x)` opening a caption, and
-- `(\#label)` ending a heading, set the element's id; `\@ref(label)` becomes a
-- citation of `ref(label)` that refs/crossrefs.py numbers and links; a level-1
-- heading `(PART) Title` or `(APPENDIX) Title` is taken out, as bookdown's EPUB
-- does, and listed in the metadata (bookdown-parts) for projects/bookdown.py.
local LABEL = '^%(#(%a[%w%-/:]*)%)$'  -- an id starts with a letter: "(#12)" is text
local CAPTION_LABEL = '^%(#((%a+):[%w%-/]+)%)$'
local REF = '@ref%(([%w%-:]+)%)'
local PART = {['(PART)'] = 'part', ['(PART*)'] = 'part', ['(APPENDIX)'] = 'appendix'}

local function refs(str)
  local s = str.text
  if not s:find(REF) then return nil end
  local out, at = pandoc.Inlines{}, 1
  for start, label, stop in s:gmatch('()' .. REF .. '()') do
    if start == 1 or s:sub(start - 1, start - 1) ~= '\\' then
      if start > at then out:insert(pandoc.Str(s:sub(at, start - 1))) end
      out:insert(pandoc.Cite({pandoc.Str('@ref(' .. label .. ')')},
                             {pandoc.Citation('ref(' .. label .. ')', 'SuppressAuthor')}))
      at = stop
    end
  end
  if at == 1 then return nil end
  if at <= #s then out:insert(pandoc.Str(s:sub(at))) end
  return out
end

-- The label opening ``inlines``, taken out of them (with the space after it).
local function take_label(inlines)
  local label = inlines[1] and inlines[1].t == 'Str' and inlines[1].text:match(CAPTION_LABEL)
  if label then
    inlines:remove(1)
    if inlines[1] and inlines[1].t == 'Space' then inlines:remove(1) end
  end
  return label
end

-- The label opening a caption's first block, taken out of it (and, by the
-- Figure handler, out of its image's alt text).
local function caption_label(blocks)
  local first = blocks[1]
  if not first or not first.content or not first.content[1] then return nil end
  return take_label(first.content)
end

local function without_label(inlines)
  take_label(inlines)
  return inlines
end

-- Raw TeX that is a math environment (`\begin{equation}`...), which Pandoc's
-- Markdown reader keeps as raw TeX and its HTML writer shows as display math
-- (isMathEnvironment in Text.Pandoc.Writers.HTML, its list): display math here,
-- so the EPUB and the print edition both show it, as bookdown's HTML does.
local MATH_ENVIRONMENTS = {}
for name in ([[align align* alignat alignat* aligned alignedat array Bmatrix bmatrix cases CD
               eqnarray eqnarray* equation equation* gather gather* gathered matrix multline
               multline* pmatrix prooftree smallmatrix split subarray Vmatrix vmatrix]]):gmatch('%S+') do
  MATH_ENVIRONMENTS[name] = true
end

local function math_environment(raw)
  local name = (raw.format == 'tex' or raw.format == 'latex') and raw.text:match('^\\begin{([^}]+)}')
  if name and MATH_ENVIRONMENTS[name] then return pandoc.Math('DisplayMath', raw.text) end
end

local function math_environments(doc)
  return doc:walk{
    RawInline = math_environment,
    RawBlock = function(raw)
      local math = math_environment(raw)
      if math then return pandoc.Para{math} end
    end,
  }
end

-- bookdown's equation labels, `(\#eq:x)` in display math (R/html.R numbers them):
-- taken out of the TeX, the math in a Span with each label's id, as `{#eq-x}`.
local EQ_LABEL = '%(\\#(eq:[%w%-/]+)%)'

local function equation_labels(math)
  if math.mathtype ~= 'DisplayMath' or not math.text:find(EQ_LABEL) then return nil end
  local labels = pandoc.List{}
  math.text = math.text:gsub(EQ_LABEL, function(label) labels:insert(label); return '' end)
  local out = math
  for i = #labels, 1, -1 do out = pandoc.Span({out}, pandoc.Attr(labels[i], {'equation'})) end
  return out
end

local function bookdown(doc)
  local parts = pandoc.List{}
  local blocks = pandoc.Blocks{}
  for _, block in ipairs(doc.blocks) do
    local kind = block.t == 'Header' and block.level == 1 and block.content[1]
                 and block.content[1].t == 'Str' and PART[block.content[1].text]
    if kind then
      local title = pandoc.Inlines{}
      for i = 3, #block.content do title:insert(block.content[i]) end
      parts:insert(pandoc.MetaMap{kind = kind, title = title})
    else
      blocks:insert(block)
    end
  end
  doc.blocks = blocks
  if #parts > 0 then doc.meta['bookdown-parts'] = parts end
  return doc:walk{
    Str = refs,
    Math = equation_labels,
    Header = function(h)
      local last = h.content[#h.content]
      local label = last and last.t == 'Str' and last.text:match(LABEL)
      if not label then return nil end
      h.content:remove(#h.content)
      while h.content[#h.content] and h.content[#h.content].t == 'Space' do
        h.content:remove(#h.content)
      end
      h.identifier = label
      return h
    end,
    Figure = function(fig)
      local label = caption_label(fig.caption.long)
      if not label then return nil end
      fig.identifier = label
      return fig:walk{Image = function(img) img.caption = without_label(img.caption); return img end}
    end,
    Table = function(tbl)
      local label = caption_label(tbl.caption.long)
      if label then tbl.identifier = label; return tbl end
    end,
  }
end

-- Quarto's features that a book keeps (quarto.org/docs/authoring): a callout
-- (`::: {.callout-note}`, its title the `title` attribute or its first
-- heading) becomes a `callout` Div, which chapters/callouts.py makes an
-- <aside>; `{{< pagebreak >}}` an empty `pagebreak` Div (a page break in
-- print, nothing in the EPUB); `fig-alt` an image's alt text and `fig-cap`
-- (Markdown) the caption of an image alone in its paragraph; `{#eq-x}` after
-- display math labels the equation.
local CALLOUTS = {['callout-note'] = true, ['callout-tip'] = true, ['callout-warning'] = true,
                  ['callout-caution'] = true, ['callout-important'] = true}

local function callout(div)
  local kind = nil
  for _, class in ipairs(div.classes) do
    if CALLOUTS[class] then kind = class end
  end
  if not kind then return nil end
  local title = div.attributes.title and
    pandoc.utils.blocks_to_inlines(pandoc.read(div.attributes.title, 'markdown').blocks)
  if not title and div.content[1] and div.content[1].t == 'Header' then
    title = div.content[1].content
    div.content:remove(1)
  end
  div.attributes.title = nil
  if title then
    div.content:insert(1, pandoc.Div({pandoc.Plain{pandoc.Strong(title)}},
                                     pandoc.Attr('', {'callout-title'})))
  end
  div.classes = pandoc.List{'callout', kind}
  return div
end

local PLAIN = {Str = true, Space = true, SoftBreak = true}

local function pagebreak(para)
  for _, inline in ipairs(para.content) do
    if not PLAIN[inline.t] then return nil end  -- in code, say, it is an example
  end
  local words = pandoc.utils.stringify(para):gsub('%s+', ' ')
  if words == '{{< pagebreak >}}' then
    return pandoc.Div({}, pandoc.Attr('', {'pagebreak'}))
  end
end

local function figure_attributes(img)
  local alt = img.attributes['fig-alt']
  if not alt then return nil end
  img.caption = pandoc.Inlines(alt)
  img.attributes['fig-alt'] = nil
  return img
end

local function captioned(para)
  local img = #para.content == 1 and para.content[1].t == 'Image' and para.content[1]
  local cap = img and img.attributes['fig-cap']
  if not cap then return nil end
  img.attributes['fig-cap'] = nil
  local caption = pandoc.read(cap, 'markdown').blocks:map(function(b)
    return b.t == 'Para' and pandoc.Plain(b.content) or b
  end)
  local id = img.identifier
  img.identifier = ''
  if #img.caption == 0 then img.caption = pandoc.utils.blocks_to_inlines(caption) end
  return pandoc.Figure({pandoc.Plain{figure_attributes(img) or img}}, {long = caption},
                       pandoc.Attr(id))
end

-- `$$ ... $$ {#eq-x}`: the display math in a Span with the label's id.
local function equation(para)
  local n = #para.content
  local label = n >= 2 and para.content[n].t == 'Str' and para.content[n].text:match('^{#(eq%-[%w%-_]+)}$')
  local at = label and (para.content[n - 1].t == 'Space' and n - 2 or n - 1)
  local math = at and at >= 1 and para.content[at]
  if not (math and math.t == 'Math' and math.mathtype == 'DisplayMath') then return nil end
  para.content[at] = pandoc.Span({math}, pandoc.Attr(label, {'equation'}))
  for i = n, at + 1, -1 do para.content:remove(i) end
  return para
end

local function quarto(doc)
  return doc:walk{Para = function(para)
                    return pagebreak(para) or captioned(para) or equation(para)
                  end}
            :walk{Div = callout, Image = figure_attributes}
end

local function has_quarto(text)
  return text:find('callout-', 1, true) or text:find('{{< pagebreak', 1, true)
         or text:find('fig-alt', 1, true) or text:find('fig-cap', 1, true)
         or text:find('{#eq-', 1, true)
end

local function has_bookdown(text)
  return text:find('@ref(', 1, true) or text:find('(\\#', 1, true)
         or text:find('(PART', 1, true) or text:find('(APPENDIX)', 1, true)
end

local handlers = {
  read = function(payload, request)
    local text = pandoc.json.decode(payload, false)
    local before = #PANDOC_STATE.log
    local doc = pandoc.read(text, request.format)
    if text:find('\\begin{', 1, true) then doc = math_environments(doc) end
    if has_bookdown(text) then doc = bookdown(doc) end
    if has_quarto(text) then doc = quarto(doc) end
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
