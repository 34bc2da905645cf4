/* cascade C API: the matching engine behind a stable C interface (C99 and C++), for embedding
 * from C, Python (ctypes) or anything with a C FFI. The contract (ownership, lifetimes,
 * threading, errors, ABI rules) is docs/c_api.md; a short session is tools/examples/c/.
 *
 * In short: one opaque handle per engine, used by one thread at a time. Every function returns a
 * cascade_status (0 is success) and never lets a C++ exception out. An input's events stay in the
 * handle until the next input: read them as plain structs (cascade_event_get), as encoded
 * FlatBuffers output frames (cascade_events_read), or through a callback during the submit. */
#ifndef CASCADE_C_API_H_
#define CASCADE_C_API_H_

#include <stddef.h>
#include <stdint.h>

#if defined(CASCADE_C_API_BUILD)
#define CASCADE_API __attribute__((visibility("default")))
#else
#define CASCADE_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version: the major changes when an existing function or struct changes incompatibly. */
#define CASCADE_C_API_VERSION_MAJOR 1
#define CASCADE_C_API_VERSION_MINOR 0

/* ---- errors ------------------------------------------------------------------------------- */

typedef int32_t cascade_status;
enum {
  CASCADE_OK = 0,
  CASCADE_E_NULL_ARGUMENT = 1,    /* a required pointer was NULL */
  CASCADE_E_INVALID_ARGUMENT = 2, /* a value out of range (config sizes, side, struct_size) */
  CASCADE_E_INVALID_INPUT = 3,    /* the input failed decoding or validation: not applied;
                                     cascade_last_reject_reason() says why (a 1xx reason) */
  CASCADE_E_BUFFER_TOO_SMALL = 4, /* nothing written; *size_out holds the bytes needed */
  CASCADE_E_NOT_FOUND = 5,        /* no such level / bucket / event index */
  CASCADE_E_BAD_SNAPSHOT = 6,     /* snapshot bytes refused (format or consistency) */
  CASCADE_E_BAD_JSON = 7,         /* JSON did not parse against the schema */
  CASCADE_E_REENTRANT = 8,        /* called from inside this handle's event callback */
  CASCADE_E_OUT_OF_MEMORY = 9,
  CASCADE_E_CALLBACK = 10, /* the event callback threw (C++ callers); the input was applied */
  CASCADE_E_INTERNAL = 11  /* an unexpected C++ exception, caught at the boundary */
};

/* A static description of a status code ("unknown status" for codes this build does not know). */
CASCADE_API const char* cascade_error_message(cascade_status status);

/* ---- version ------------------------------------------------------------------------------ */

/* (major << 16) | minor of the library actually loaded; compare with the header's macros. */
CASCADE_API uint32_t cascade_abi_version(void);
/* "cascade-c-api MAJOR.MINOR (cascade X.Y.Z)", static. */
CASCADE_API const char* cascade_version(void);

/* ---- engine lifetime ---------------------------------------------------------------------- */

typedef struct cascade_engine cascade_engine; /* opaque */

/* Pool sizes, fixed at creation (cascade::EngineConfig). Fill with cascade_config_init, then
 * change what you need: struct_size lets later versions append fields compatibly. */
typedef struct cascade_config {
  uint32_t struct_size;
  uint32_t max_symbols;
  uint32_t max_orders;
  uint32_t max_accounts;
  uint32_t max_buckets;
  uint32_t max_positions;
  uint32_t event_buffer_reserve;
} cascade_config;

CASCADE_API cascade_status cascade_config_init(cascade_config* config);

/* config NULL: defaults. On success *out owns a new engine; destroy it with cascade_destroy. */
CASCADE_API cascade_status cascade_create(const cascade_config* config, cascade_engine** out);
/* A new engine holding the state of a snapshot taken by cascade_snapshot (any engine, any
 * machine). On failure *out is NULL and no engine exists. */
CASCADE_API cascade_status cascade_create_from_snapshot(const cascade_config* config,
                                                        const uint8_t* bytes, size_t size,
                                                        cascade_engine** out);
/* NULL is a no-op. */
CASCADE_API void cascade_destroy(cascade_engine* engine);

/* The detail of the last failed call on this handle (or, with engine NULL, of the last failed
 * call on this thread that had no usable handle); "" when none. Valid until the next call. */
CASCADE_API const char* cascade_last_error(const cascade_engine* engine);
/* The reject reason of the last CASCADE_E_INVALID_INPUT on this handle (cascade::RejectReason). */
CASCADE_API uint16_t cascade_last_reject_reason(const cascade_engine* engine);

/* ---- inputs ------------------------------------------------------------------------------- */

/* Enum values are cascade's (engine/core/enums.h), also the FlatBuffers schema's. */
enum { CASCADE_SIDE_BUY = 0, CASCADE_SIDE_SELL = 1 };
enum {
  CASCADE_ORDER_LIMIT = 0,
  CASCADE_ORDER_MARKET = 1,
  CASCADE_ORDER_STOP_LIMIT = 2,
  CASCADE_ORDER_STOP_MARKET = 3
};
enum { CASCADE_TIF_GTC = 0, CASCADE_TIF_IOC = 1, CASCADE_TIF_FOK = 2, CASCADE_TIF_POST_ONLY = 3 };
enum { CASCADE_MARGIN_CROSS = 0, CASCADE_MARGIN_ISOLATED = 1 };

/* Fast-path inputs: plain structs, no FlatBuffers, no allocation once warm. seq 0 means "the
 * next sequence number" (last seq + 1); ts_ns is the command's time (the engine reads no clock).
 * Zero-initialise, then set what you need: zero is every enum's default. */
typedef struct cascade_new_order {
  uint64_t seq;
  int64_t ts_ns;
  uint32_t symbol;
  uint32_t account;
  uint64_t order_id;
  uint8_t side;
  uint8_t type;
  uint8_t tif;
  uint8_t stp; /* 0 none, 1 cancel taker, 2 cancel maker, 3 cancel both */
  uint8_t margin;
  uint8_t reduce_only;
  int64_t price;      /* ticks */
  int64_t stop_price; /* ticks, stop orders */
  int64_t qty;        /* lots */
} cascade_new_order;

typedef struct cascade_cancel_order {
  uint64_t seq;
  int64_t ts_ns;
  uint32_t symbol;
  uint32_t account;
  uint64_t order_id;
} cascade_cancel_order;

typedef struct cascade_amend_order {
  uint64_t seq;
  int64_t ts_ns;
  uint32_t symbol;
  uint32_t account;
  uint64_t order_id;
  int64_t new_price;
  int64_t new_qty; /* new open quantity */
} cascade_amend_order;

/* Each submit applies one input and replaces the handle's current events with its events (also
 * when the engine rejects it: a CommandRejected event). *event_count (optional, may be NULL) is
 * their number. Input that fails decoding or validation is not applied: CASCADE_E_INVALID_INPUT,
 * no events, state unchanged. */
CASCADE_API cascade_status cascade_submit_new_order(cascade_engine* engine,
                                                    const cascade_new_order* order,
                                                    size_t* event_count);
CASCADE_API cascade_status cascade_submit_cancel(cascade_engine* engine,
                                                 const cascade_cancel_order* cancel,
                                                 size_t* event_count);
CASCADE_API cascade_status cascade_submit_amend(cascade_engine* engine,
                                                const cascade_amend_order* amend,
                                                size_t* event_count);
/* Any input: one size-prefixed FlatBuffers input frame (engine/wire/messages.fbs, identifier
 * CSCI; docs/wire.md), exactly as the gateway and journals carry it. Any bytes are safe. */
CASCADE_API cascade_status cascade_submit_frame(cascade_engine* engine, const uint8_t* frame,
                                                size_t size, size_t* event_count);
/* Any input as one JSON line in the schema's names, e.g. configuring a symbol:
 * {"seq":1,"ts_ns":0,"body_type":"ConfigureSymbol","body":{"config":{...}}} (docs/wire.md).
 * Convenient, not fast: parsed, then validated like a frame. Unparsable: CASCADE_E_BAD_JSON. */
CASCADE_API cascade_status cascade_submit_json(cascade_engine* engine, const char* json,
                                               size_t* event_count);

/* ---- output events ------------------------------------------------------------------------ */

/* Event types: the index in cascade::EventBody, which is also the schema's union tag - 1. */
enum {
  CASCADE_EVENT_ORDER_ACCEPTED = 0,
  CASCADE_EVENT_COMMAND_REJECTED = 1,
  CASCADE_EVENT_ORDER_TRIGGERED = 2,
  CASCADE_EVENT_ORDER_AMENDED = 3,
  CASCADE_EVENT_TRADE = 4,
  CASCADE_EVENT_ORDER_CANCELLED = 5,
  CASCADE_EVENT_ORDER_EXPIRED = 6,
  CASCADE_EVENT_TOP_OF_BOOK = 7,
  CASCADE_EVENT_SYMBOL_CONFIGURED = 8,
  CASCADE_EVENT_BALANCE_CHANGED = 9,
  CASCADE_EVENT_LEVERAGE_SET = 10,
  CASCADE_EVENT_MARK_UPDATED = 11,
  CASCADE_EVENT_MARGIN_CALL = 12,
  CASCADE_EVENT_LIQUIDATION_ORDER = 13,
  CASCADE_EVENT_LIQUIDATION_FILL = 14,
  CASCADE_EVENT_TAKEOVER = 15,
  CASCADE_EVENT_ADL_FILL = 16,
  CASCADE_EVENT_BAD_DEBT = 17,
  CASCADE_EVENT_FUNDING_PAYMENT = 18,
  CASCADE_EVENT_BUCKET_STATE = 19,
  CASCADE_EVENT_SESSION_ACCEPTED = 20 /* a gateway's answer to a Logon: never from an engine */
};

/* One event as a plain struct: a tagged union whose members have the fields, names and order of
 * the C++ events in engine/core/event.h (prices in ticks, quantities in lots, money in atoms of
 * 1e-6 quote, rates at 1e8 scale). */
typedef struct cascade_ev_order_accepted {
  uint32_t symbol, account;
  uint64_t order_id;
  uint8_t side, type, tif;
  int64_t price, stop_price, qty;
} cascade_ev_order_accepted;
typedef struct cascade_ev_command_rejected {
  uint8_t command; /* the kind of input: index in cascade::CommandBody */
  uint32_t symbol, account;
  uint64_t order_id;
  uint16_t reason; /* cascade::RejectReason */
} cascade_ev_command_rejected;
typedef struct cascade_ev_order_triggered {
  uint32_t symbol, account;
  uint64_t order_id;
  int64_t last_price;
} cascade_ev_order_triggered;
typedef struct cascade_ev_order_amended {
  uint32_t symbol, account;
  uint64_t order_id;
  int64_t price, qty;
  uint8_t priority_kept;
} cascade_ev_order_amended;
typedef struct cascade_ev_trade {
  uint32_t symbol;
  int64_t price, qty;
  uint8_t aggressor;
  uint32_t maker_account;
  uint64_t maker_order;
  uint32_t taker_account;
  uint64_t taker_order;
  int64_t maker_remaining, taker_remaining;
  uint8_t liquidation;
} cascade_ev_trade;
typedef struct cascade_ev_order_cancelled {
  uint32_t symbol, account;
  uint64_t order_id;
  int64_t remaining;
  uint8_t reason; /* cascade::CancelReason */
} cascade_ev_order_cancelled;
typedef struct cascade_ev_order_expired {
  uint32_t symbol, account;
  uint64_t order_id;
  int64_t remaining;
  uint8_t reason; /* cascade::ExpireReason */
} cascade_ev_order_expired;
typedef struct cascade_ev_top_of_book {
  uint32_t symbol;
  int64_t bid_price, bid_qty, ask_price, ask_qty; /* qty 0: that side is empty */
} cascade_ev_top_of_book;
typedef struct cascade_ev_symbol_configured {
  uint32_t symbol;
  int64_t atoms_per_lot_tick;
} cascade_ev_symbol_configured;
typedef struct cascade_ev_balance_changed {
  uint32_t account, bucket;
  int64_t amount, quote_after;
} cascade_ev_balance_changed;
typedef struct cascade_ev_leverage_set {
  uint32_t account, bucket, leverage;
} cascade_ev_leverage_set;
typedef struct cascade_ev_mark_updated {
  uint32_t symbol;
  int64_t mark, index;
} cascade_ev_mark_updated;
typedef struct cascade_ev_margin_call {
  uint32_t account, bucket, symbol, round;
  int64_t equity, maintenance;
} cascade_ev_margin_call;
typedef struct cascade_ev_liquidation_order {
  uint32_t account, bucket, symbol, round;
  uint8_t side;
  int64_t qty, limit_price, bankruptcy_quote;
} cascade_ev_liquidation_order;
typedef struct cascade_ev_liquidation_fill {
  uint32_t account, bucket, symbol, round;
  int64_t price, qty, quote, bankruptcy_share, fee_to_fund, fund_paid;
} cascade_ev_liquidation_fill;
typedef struct cascade_ev_takeover {
  uint32_t account, bucket, symbol, round, fund_bucket;
  int64_t qty, bankruptcy_quote;
} cascade_ev_takeover;
typedef struct cascade_ev_adl_fill {
  uint32_t account, bucket, symbol, round, counter_account, counter_bucket;
  int64_t qty, price, quote, score;
} cascade_ev_adl_fill;
typedef struct cascade_ev_bad_debt {
  uint32_t account, bucket, symbol, round;
  int64_t amount;
} cascade_ev_bad_debt;
typedef struct cascade_ev_funding_payment {
  uint32_t symbol;
  int64_t rate, index_delta, paid_by_payers, residual_to_fund;
} cascade_ev_funding_payment;
typedef struct cascade_ev_bucket_state {
  uint32_t account, bucket, round;
  int64_t quote, equity, maintenance, initial;
  uint8_t in_liquidation;
} cascade_ev_bucket_state;
typedef struct cascade_ev_session_accepted {
  uint64_t session;
  uint32_t account, accounts;
  uint8_t admin;
} cascade_ev_session_accepted;

typedef struct cascade_event {
  uint32_t type; /* CASCADE_EVENT_* */
  uint64_t seq;  /* of the input that caused it */
  int64_t ts_ns;
  union {
    cascade_ev_order_accepted order_accepted;
    cascade_ev_command_rejected command_rejected;
    cascade_ev_order_triggered order_triggered;
    cascade_ev_order_amended order_amended;
    cascade_ev_trade trade;
    cascade_ev_order_cancelled order_cancelled;
    cascade_ev_order_expired order_expired;
    cascade_ev_top_of_book top_of_book;
    cascade_ev_symbol_configured symbol_configured;
    cascade_ev_balance_changed balance_changed;
    cascade_ev_leverage_set leverage_set;
    cascade_ev_mark_updated mark_updated;
    cascade_ev_margin_call margin_call;
    cascade_ev_liquidation_order liquidation_order;
    cascade_ev_liquidation_fill liquidation_fill;
    cascade_ev_takeover takeover;
    cascade_ev_adl_fill adl_fill;
    cascade_ev_bad_debt bad_debt;
    cascade_ev_funding_payment funding_payment;
    cascade_ev_bucket_state bucket_state;
    cascade_ev_session_accepted session_accepted;
    uint64_t reserved[16]; /* fixes the union's size (128 bytes) for the ABI and later members */
  } u;
} cascade_event;

/* The current events (those of the last submitted input) stay until the next submit; reading
 * them consumes nothing, so any read may be repeated. */
CASCADE_API cascade_status cascade_event_count(const cascade_engine* engine, size_t* count);
/* Event `index` of the current events; CASCADE_E_NOT_FOUND beyond the count. */
CASCADE_API cascade_status cascade_event_get(const cascade_engine* engine, size_t index,
                                             cascade_event* out);
/* All current events as size-prefixed FlatBuffers output frames (identifier CSCO), back to back,
 * exactly as cascade::wire::Encoder writes them. *size_out: bytes written, or with
 * CASCADE_E_BUFFER_TOO_SMALL the bytes needed (nothing written, nothing lost: call again). buffer
 * may be NULL when capacity is 0. Frames are not padded: copy one to an 8-byte-aligned address
 * before reading it in place with FlatBuffers. */
CASCADE_API cascade_status cascade_events_read(cascade_engine* engine, uint8_t* buffer,
                                               size_t capacity, size_t* size_out);

/* Called once per event, in order, during each submit, after the whole input was applied (the
 * engine's state is consistent). frame/frame_size: the event's encoded output frame when the
 * callback was installed with CASCADE_CALLBACK_FRAMES, else NULL/0. Both pointers are valid only
 * during the call. The callback must not call into this handle (CASCADE_E_REENTRANT). */
typedef void (*cascade_event_callback)(void* context, const cascade_event* event,
                                       const uint8_t* frame, size_t frame_size);
enum { CASCADE_CALLBACK_FRAMES = 1 };
/* callback NULL removes it. flags: 0 or CASCADE_CALLBACK_FRAMES. */
CASCADE_API cascade_status cascade_set_event_callback(cascade_engine* engine,
                                                      cascade_event_callback callback,
                                                      void* context, uint32_t flags);

/* ---- queries ------------------------------------------------------------------------------ */

typedef struct cascade_level {
  int64_t price; /* ticks */
  int64_t qty;   /* lots */
  uint32_t orders;
} cascade_level;

/* CASCADE_E_NOT_FOUND when that side is empty or the symbol unknown. */
CASCADE_API cascade_status cascade_best_bid(const cascade_engine* engine, uint32_t symbol,
                                            cascade_level* out);
CASCADE_API cascade_status cascade_best_ask(const cascade_engine* engine, uint32_t symbol,
                                            cascade_level* out);
/* Up to `capacity` levels of one side, best first, into levels[]; *count = how many. */
CASCADE_API cascade_status cascade_depth(const cascade_engine* engine, uint32_t symbol,
                                         uint8_t side, cascade_level* levels, size_t capacity,
                                         size_t* count);

enum { CASCADE_ORDER_UNKNOWN = 0, CASCADE_ORDER_RESTING = 1, CASCADE_ORDER_PENDING_STOP = 2 };
typedef struct cascade_order_state {
  uint8_t status; /* CASCADE_ORDER_UNKNOWN: never seen, or finished */
  uint32_t symbol;
  uint8_t side, type, tif;
  int64_t price, stop_price, open;
} cascade_order_state;
CASCADE_API cascade_status cascade_order(const cascade_engine* engine, uint32_t account,
                                         uint64_t order_id, cascade_order_state* out);

/* A margin bucket (cross: symbol ignored; isolated: per symbol). Money in atoms; equity and
 * margins saturate at the int64 range. CASCADE_E_NOT_FOUND when the bucket does not exist. */
typedef struct cascade_bucket_state {
  uint32_t bucket;
  uint32_t leverage;
  int64_t quote;
  int64_t equity;
  int64_t maintenance;
  int64_t initial;
  uint8_t in_liquidation;
} cascade_bucket_state;
CASCADE_API cascade_status cascade_bucket(const cascade_engine* engine, uint32_t account,
                                          uint8_t margin, uint32_t symbol,
                                          cascade_bucket_state* out);

CASCADE_API cascade_status cascade_last_seq(const cascade_engine* engine, uint64_t* out);
/* Equal digests mean equal engine state, on any machine (cascade::Engine::StateDigest). */
CASCADE_API cascade_status cascade_state_digest(const cascade_engine* engine, uint64_t* out);

/* ---- snapshots and JSON ------------------------------------------------------------------- */

/* The whole state in the snapshot format of engine/wire/snapshot.fbs (identifier CSCS), the one
 * the gateway writes. Buffer protocol as cascade_events_read (capacity 0 asks for the size). */
CASCADE_API cascade_status cascade_snapshot(cascade_engine* engine, uint8_t* buffer,
                                            size_t capacity, size_t* size_out);

/* JSON line -> size-prefixed input frame (canonical bytes, as cascade-journal from-json writes),
 * and output frame -> JSON line (NUL-terminated; the size counts the NUL), through the schema's
 * JSON codec. Buffer protocol as above. Bad JSON: CASCADE_E_BAD_JSON; a frame that is not a whole
 * event: CASCADE_E_INVALID_INPUT. Neither touches the engine or its current events. */
CASCADE_API cascade_status cascade_json_to_frame(cascade_engine* engine, const char* json,
                                                 uint8_t* buffer, size_t capacity,
                                                 size_t* size_out);
CASCADE_API cascade_status cascade_event_frame_to_json(cascade_engine* engine, const uint8_t* frame,
                                                       size_t size, char* buffer, size_t capacity,
                                                       size_t* size_out);

#ifdef __cplusplus
}
#endif

#endif /* CASCADE_C_API_H_ */
