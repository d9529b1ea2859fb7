// Overloaded: the usual visitor helper for std::visit over several lambdas.
// Header-only, no state.
#pragma once

namespace shoal::storage {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace shoal::storage
