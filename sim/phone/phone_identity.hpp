#pragma once
/// Who a simulated phone is: the facts the Devices App lists for it.

#include <string>

namespace mpk::sim_phone {

struct phone_identity {
  std::string hw_id;   ///< MAC as bare lower-case hex, e.g. "009033020202"
  std::string product; ///< e.g. "IP222"; selects the model
  std::string version; ///< firmware string, e.g. "13r2 sr1 [13.4250/131286/1300]"
  std::string name;    ///< display name shown on the idle screen
  std::string ip;      ///< IPv4 address as text
  std::string number;  ///< own extension, registered on slot 0
};

} // namespace mpk::sim_phone
