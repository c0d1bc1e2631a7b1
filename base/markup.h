// markup.h: text made safe inside HTML and SVG (XML) elements and quoted
// attributes: & < > " ' as character references.
#pragma once

#include <string>
#include <string_view>

namespace af {

std::string markup_escaped(std::string_view text);

}  // namespace af
