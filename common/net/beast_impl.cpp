// The one translation unit that compiles Boost.Asio, Asio SSL and Boost.Beast
// (separate compilation keeps every other file's compile time reasonable on small machines).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
