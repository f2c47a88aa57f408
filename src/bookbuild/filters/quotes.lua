-- Typographic quotes for the book's language. Pandoc's "smart" extension turns
-- straight quotes into Quoted elements but always renders them in English
-- style; bookbuild passes the language's marks as metadata instead.
local marks = {}

local function Meta(meta)
  for _, key in ipairs({'open2', 'close2', 'open1', 'close1'}) do
    local value = meta['bookbuild-quote-' .. key]
    if value then marks[key] = pandoc.utils.stringify(value) end
  end
end

local function Quoted(el)
  if not marks.open2 then return nil end
  local double = el.quotetype == 'DoubleQuote'
  local result = pandoc.List({pandoc.Str(double and marks.open2 or marks.open1)})
  result:extend(el.content)
  result:insert(pandoc.Str(double and marks.close2 or marks.close1))
  return result
end

return {{Meta = Meta}, {Quoted = Quoted}}
