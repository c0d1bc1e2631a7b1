#include "tools/bench/transport_bench.h"

#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>
#include <zmq.hpp>

namespace af::bench {

void bench_transport_floor(const std::string& dir, int clients, int in_flight, double seconds) {
  std::string endpoint = "ipc://" + dir + "/echo.sock";
  // Separate contexts, as between the engine and its clients: each side
  // has its own I/O thread.
  zmq::context_t server_ctx(1), client_ctx(1);
  zmq::socket_t router(server_ctx, zmq::socket_type::router);
  router.set(zmq::sockopt::linger, 0);
  router.bind(endpoint);
  std::atomic<bool> stop{false};
  std::thread server([&] {
    const std::string ack =
        R"([{"event_id":"00000000-0000-0000-0000-000000000000","status":"accepted"}])";
    zmq::pollitem_t items[] = {{router.handle(), 0, ZMQ_POLLIN, 0}};
    while (!stop) {
      zmq::poll(items, 1, std::chrono::milliseconds(50));
      zmq::message_t id, body;
      while (router.recv(id, zmq::recv_flags::dontwait)) {
        if (!router.recv(body)) break;
        router.send(id, zmq::send_flags::sndmore);
        router.send(zmq::buffer(ack));
      }
    }
  });
  const std::string event(260, 'x');  // about the size of one sale event
  std::atomic<long> trips{0};
  std::vector<std::thread> threads;
  auto t0 = std::chrono::steady_clock::now();
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&] {
      zmq::socket_t s(client_ctx, zmq::socket_type::dealer);
      s.set(zmq::sockopt::linger, 0);
      s.set(zmq::sockopt::rcvtimeo, 2000);
      s.connect(endpoint);
      int outstanding = 0;
      while (!stop || outstanding > 0) {
        while (!stop && outstanding < in_flight) {
          s.send(zmq::buffer(event));
          ++outstanding;
        }
        zmq::message_t reply;
        if (!s.recv(reply)) return;
        --outstanding;
        ++trips;
      }
    });
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  server.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print(
      "transport-floor: {} clients, {} in flight per client, bare ROUTER echo (no engine): {:.0f} "
      "round trips/s\n",
      clients, in_flight, static_cast<double>(trips) / secs);
}

}  // namespace af::bench
