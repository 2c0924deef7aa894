#pragma once

namespace qa::http {

// Make store::Store::open serve `http://` and `https://` locations with the http backend
// (settings from the environment, see settings.hpp). Tools that may talk to a remote store call
// it first thing in main(); libqa itself never links libcurl.
void register_schemes();

}  // namespace qa::http
