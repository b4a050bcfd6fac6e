#pragma once
/// Function-key labels and LED states of a phone, as the app shows them (KeyStates, see
/// docs/app-protocol.md): labels an operator set in the app per phone, and what the phone itself
/// reports where the wire allows. The phone's label wins (it is what the user sees on the desk);
/// the operator's stands in where the phone reports none.
///
/// key_label_store keeps the operators' labels of every phone of a node (by MAC) in one JSON file
/// that survives restarts: {"009033000019":{"F1":"Alice","F3":"Sales"}, …}. Every session of the
/// node shares it; a change is written at once (temporary file, then rename).

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace mpk::models {
struct model;
}

namespace mpk::session {

/// key id -> text
using label_map = std::map<std::string, std::string>;

/// What a phone reports for one key (empty label: none).
struct phone_key_state {
  std::string label;
  std::string led;    ///< "off", "on", "blink", "flash" ("" = not reported)
  std::string colour; ///< "green", "red", "amber" or ""
};
using phone_key_map = std::map<std::string, phone_key_state>;

inline constexpr std::size_t max_label_chars = 40; ///< Unicode characters per label

class key_label_store {
public:
  /// An empty path keeps the labels in memory only (they end with the process).
  explicit key_label_store(std::string path) : path_(std::move(path)) {}

  /// Reads the file; a missing file is an empty store. False and `error` for a file that is not
  /// the JSON described above (the store stays empty: nothing is overwritten until a change).
  bool load(std::string& error);

  label_map labels(const std::string& hw_id) const;

  /// Applies `changes` to the phone's labels ("" removes one) and writes the file. Returns the
  /// labels after the change, or nullopt and `error` when the file cannot be written (the change
  /// is then not kept).
  std::optional<label_map> set(const std::string& hw_id, const label_map& changes, std::string& error);

  const std::string& path() const { return path_; }

private:
  bool write_locked(std::string& error) const;

  std::string path_;
  mutable std::mutex mu_;
  std::map<std::string, label_map> by_phone_;
};

/// Parses and checks the `labels` of SetKeyLabels (a JSON object of key id -> string) for a
/// model: every id a function key of it, every text at most max_label_chars characters of valid
/// UTF-8 without control characters, leading and trailing blanks dropped. Nullopt and `error`
/// (plain words) otherwise.
std::optional<label_map> parse_label_changes(std::string_view json, const models::model& m, std::string& error);

/// The KeyStates members after mt: "keys":[{"id":"F1","label":…,"from":"phone"|"operator",
/// "operator":…,"led":…,"colour":…}, …] for the model's function keys that have anything to
/// show, in the model's key order.
std::string key_states_json(const models::model& m, const label_map& operator_labels, const phone_key_map& phone);

} // namespace mpk::session
