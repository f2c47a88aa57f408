-- A Pandoc that stays: bookbuild's requests on stdin, one answer each on stdout.
-- Run as `pandoc lua pandoc_worker.lua`; it reads and writes with Pandoc's own
-- reader and writer (pandoc.read, pandoc.write), so a chapter comes out exactly
-- as from the pandoc command, without a process per chapter.
--
-- read:  {"op":"read"} then a line of JSON text  -> {"log":[...]} then the AST line
-- write: {"op":"write"} then the AST line        -> {"html":"..."}
-- write: {"op":"write","format":"typst"} then the AST line -> {"typst":"..."}
-- A failure answers {"error":"..."} (and no second line).
local html_options = {html_math_method = 'mathml', wrap_text = 'none'}
local typst_options = {wrap_text = 'none'}

local function answer(value)
  io.write(pandoc.json.encode(value), '\n')
end

local handlers = {
  read = function(payload)
    local text = pandoc.json.decode(payload, false)
    local before = #PANDOC_STATE.log
    local doc = pandoc.read(text, 'markdown')
    local log, entries = PANDOC_STATE.log, {}
    for i = before + 1, #log do entries[#entries + 1] = log[i] end
    local ast = pandoc.write(doc, 'json')
    answer({log = entries})
    io.write(ast, '\n')
  end,
  write = function(payload, request)
    local doc = pandoc.read(payload, 'json')
    if request.format == 'typst' then
      answer({typst = pandoc.write(doc, 'typst', typst_options) .. '\n'})
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
