#pragma once
/// The LCD codec in one include: decode the phone's BMP dump, diff frames, encode PNG updates.

#include "services/phone-session/lcd/bmp_decoder.hpp"
#include "services/phone-session/lcd/diff.hpp"
#include "services/phone-session/lcd/frame_encoder.hpp"
#include "services/phone-session/lcd/image.hpp"
#include "services/phone-session/lcd/last_dump.hpp"
#include "services/phone-session/lcd/png_encoder.hpp"
