// zmq_watch.h: drives one ZeroMQ socket from an Asio io_context.
//
// ZMQ_FD is edge-triggered: it signals that the socket's state changed,
// not that a message is waiting, and a send can consume that signal. So
// the drain callback must receive until EAGAIN (or until its batch limit),
// and recheck() must run after every batch and after every send on any
// socket: it reads ZMQ_EVENTS and, if a message is waiting, posts another
// drain instead of waiting for an edge that will not come.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <functional>
#include <vector>
#include <zmq.hpp>

#include "messages/zmq_retry.h"

namespace af::msg {

// Reads one whole multipart message if one is waiting: empty when none is
// (the first frame is read without waiting; the rest of a message that has
// begun is always there). Throws zmq::error_t on a socket error.
inline std::vector<zmq::message_t> receive_frames(zmq::socket_t& s) {
  std::vector<zmq::message_t> frames;
  zmq::message_t first;
  if (!retry_on_eintr([&] { return s.recv(first, zmq::recv_flags::dontwait); })) return frames;
  bool more = first.more();
  frames.push_back(std::move(first));
  while (more) {
    zmq::message_t part;
    if (!retry_on_eintr([&] { return s.recv(part, zmq::recv_flags::none); })) break;
    more = part.more();
    frames.push_back(std::move(part));
  }
  return frames;
}

class zmq_watch {
 public:
  zmq_watch(boost::asio::io_context& io, zmq::socket_t& socket, std::function<void()> drain)
      : io_(io), socket_(socket), fd_(io, socket.get(zmq::sockopt::fd)), drain_(std::move(drain)) {}
  zmq_watch(const zmq_watch&) = delete;
  ~zmq_watch() { stop(); }

  void start() {
    stopped_ = false;
    wait();
    recheck();
  }

  // Stops waiting; the descriptor belongs to ZeroMQ and is not closed.
  void stop() {
    stopped_ = true;
    if (released_) return;
    released_ = true;
    boost::system::error_code ec;
    fd_.cancel(ec);
    fd_.release();
  }

  // Posts a drain if a message is waiting and none is posted yet.
  void recheck() {
    if (stopped_ || posted_) return;
    if (!(socket_events(socket_) & ZMQ_POLLIN)) return;
    posted_ = true;
    boost::asio::post(io_, [this] { run(); });
  }

 private:
  void wait() {
    fd_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                   [this](const boost::system::error_code& ec) {
                     if (ec || stopped_) return;  // cancelled at shutdown
                     run();
                     if (!stopped_) wait();
                   });
  }

  void run() {
    posted_ = false;
    if (stopped_) return;
    drain_();
    recheck();
  }

  boost::asio::io_context& io_;
  zmq::socket_t& socket_;
  boost::asio::posix::stream_descriptor fd_;
  std::function<void()> drain_;
  bool stopped_ = true;
  bool posted_ = false;
  bool released_ = false;
};

}  // namespace af::msg
