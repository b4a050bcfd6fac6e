#pragma once
/// The HTTP/1.1 codec in one include: messages, parsers, serializer and URL helpers.

#include "common/http/message.hpp"
#include "common/http/request_parser.hpp"
#include "common/http/response_parser.hpp"
#include "common/http/serializer.hpp"
#include "common/http/url.hpp"
