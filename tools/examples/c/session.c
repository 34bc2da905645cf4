/* A minimal session through the C API: configure a market, trade, read the events, query the
 * book, snapshot and restore. Exits 1 on the first thing that is not as expected.
 * Build: cc -std=c99 session.c -I<repo> -L<dir of libcascade_c_api.so> -lcascade_c_api */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/c_api.h"

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      return 1;                                                                \
    }                                                                          \
  } while (0)
#define CHECK_OK(call)                                                     \
  do {                                                                     \
    cascade_status status_ = (call);                                       \
    if (status_ != CASCADE_OK) {                                           \
      fprintf(stderr, "%s:%d: %s: %s (%s)\n", __FILE__, __LINE__, #call,   \
              cascade_error_message(status_), cascade_last_error(engine)); \
      return 1;                                                            \
    }                                                                      \
  } while (0)

/* A BTC perpetual without margin: tick $0.1, lot 0.001 BTC. */
static const char kConfigure[] =
    "{\"seq\": 1, \"ts_ns\": 0, \"body_type\": \"ConfigureSymbol\", \"body\": {\"config\": "
    "{\"symbol\": 1, \"name\": \"BTC-PERP\", \"tick_size_nanos\": 100000000, "
    "\"lot_size_nanos\": 1000000, \"max_price\": 10000000, \"max_order_qty\": 1000000}}}";

static void PrintEvent(const cascade_event* e) {
  switch (e->type) {
    case CASCADE_EVENT_ORDER_ACCEPTED:
      printf("  seq %" PRIu64 " accepted order %" PRIu64 "\n", e->seq,
             e->u.order_accepted.order_id);
      break;
    case CASCADE_EVENT_TRADE:
      printf("  seq %" PRIu64 " trade %" PRId64 " lots at %" PRId64 " (maker %" PRIu64 ")\n",
             e->seq, e->u.trade.qty, e->u.trade.price, e->u.trade.maker_order);
      break;
    case CASCADE_EVENT_TOP_OF_BOOK:
      printf("  seq %" PRIu64 " top of book %" PRId64 " x %" PRId64 "\n", e->seq,
             e->u.top_of_book.bid_price, e->u.top_of_book.ask_price);
      break;
    default:
      printf("  seq %" PRIu64 " event type %" PRIu32 "\n", e->seq, e->type);
  }
}

int main(void) {
  cascade_engine* engine = NULL;
  cascade_config config;
  size_t count = 0;
  size_t i;
  cascade_event event;
  cascade_new_order order;
  cascade_level bid, ask;
  uint64_t digest = 0, restored_digest = 0;
  uint8_t* bytes;
  size_t size = 0;
  cascade_engine* restored = NULL;
  int trades = 0;

  printf("%s\n", cascade_version());
  CHECK((cascade_abi_version() >> 16) == CASCADE_C_API_VERSION_MAJOR);
  CHECK(cascade_config_init(&config) == CASCADE_OK);
  config.max_orders = 1024; /* small pools for a small session */
  config.max_accounts = 16;
  config.max_buckets = 64;
  config.max_positions = 64;
  CHECK(cascade_create(&config, &engine) == CASCADE_OK);

  CHECK_OK(cascade_submit_json(engine, kConfigure, &count));
  CHECK(count == 1);

  /* Account 2 offers 0.005 BTC at $85,000.0; account 1 buys 0.003 BTC up to $85,001.0. */
  memset(&order, 0, sizeof(order)); /* zero: seq "next", limit, GTC, cross */
  order.symbol = 1;
  order.account = 2;
  order.order_id = 1;
  order.side = CASCADE_SIDE_SELL;
  order.price = 850000;
  order.qty = 5;
  CHECK_OK(cascade_submit_new_order(engine, &order, &count));
  order.account = 1;
  order.order_id = 2;
  order.side = CASCADE_SIDE_BUY;
  order.price = 850010;
  order.qty = 3;
  CHECK_OK(cascade_submit_new_order(engine, &order, &count));
  printf("order 2 gave %zu events:\n", count);
  for (i = 0; i < count; ++i) {
    CHECK_OK(cascade_event_get(engine, i, &event));
    PrintEvent(&event);
    if (event.type == CASCADE_EVENT_TRADE) {
      CHECK(event.u.trade.price == 850000 && event.u.trade.qty == 3);
      ++trades;
    }
  }
  CHECK(trades == 1);

  /* The same events as FlatBuffers output frames: ask for the size, then read. */
  CHECK(cascade_events_read(engine, NULL, 0, &size) == CASCADE_E_BUFFER_TOO_SMALL);
  bytes = malloc(size);
  CHECK(bytes != NULL);
  CHECK_OK(cascade_events_read(engine, bytes, size, &size));
  printf("as frames: %zu bytes\n", size);
  free(bytes);

  CHECK(cascade_best_bid(engine, 1, &bid) == CASCADE_E_NOT_FOUND); /* the buy filled whole */
  CHECK_OK(cascade_best_ask(engine, 1, &ask));
  CHECK(ask.price == 850000 && ask.qty == 2 && ask.orders == 1);

  /* Snapshot, restore into a new engine, compare digests. */
  CHECK_OK(cascade_state_digest(engine, &digest));
  CHECK(cascade_snapshot(engine, NULL, 0, &size) == CASCADE_E_BUFFER_TOO_SMALL);
  bytes = malloc(size);
  CHECK(bytes != NULL);
  CHECK_OK(cascade_snapshot(engine, bytes, size, &size));
  CHECK(cascade_create_from_snapshot(&config, bytes, size, &restored) == CASCADE_OK);
  free(bytes);
  CHECK(cascade_state_digest(restored, &restored_digest) == CASCADE_OK);
  CHECK(digest == restored_digest);
  printf("state digest %016" PRIx64 " (restored: same)\n", digest);

  cascade_destroy(restored);
  cascade_destroy(engine);
  printf("c example: ok\n");
  return 0;
}
