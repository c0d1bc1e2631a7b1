#include "messages/types.h"

namespace af::msg {

std::string_view kind_name(worker_kind k) {
  switch (k) {
    case worker_kind::scoring:
      return "scoring";
    case worker_kind::targets:
      return "targets";
    case worker_kind::notify:
      return "notify";
  }
  return "unknown";
}

}  // namespace af::msg
