#!/usr/bin/env python3
"""A session with cascade through its C API and ctypes (standard library only).

Usage: python3 example.py PATH/TO/libcascade_c_api.so

Configures a margined BTC perpetual and funds two accounts (JSON inputs), trades through the
plain-struct fast path, collects events through a callback and as FlatBuffers frames (shown as
JSON), checks that bad bytes change nothing, queries the book and a margin bucket, and restores a
snapshot into a second engine. Exits non-zero (an AssertionError) when anything differs from what
it expects.
"""
import ctypes as C
import json
import struct
import sys

OK, E_INVALID_INPUT, E_BUFFER_TOO_SMALL, E_NOT_FOUND = 0, 3, 4, 5
EVENT_ORDER_ACCEPTED, EVENT_TRADE, EVENT_TOP_OF_BOOK = 0, 4, 7
SIDE_BUY, SIDE_SELL = 0, 1


class Config(C.Structure):
    _fields_ = [(name, C.c_uint32) for name in (
        "struct_size", "max_symbols", "max_orders", "max_accounts", "max_buckets",
        "max_positions", "event_buffer_reserve")]


class NewOrder(C.Structure):
    _fields_ = [("seq", C.c_uint64), ("ts_ns", C.c_int64), ("symbol", C.c_uint32),
                ("account", C.c_uint32), ("order_id", C.c_uint64), ("side", C.c_uint8),
                ("type", C.c_uint8), ("tif", C.c_uint8), ("stp", C.c_uint8),
                ("margin", C.c_uint8), ("reduce_only", C.c_uint8), ("price", C.c_int64),
                ("stop_price", C.c_int64), ("qty", C.c_int64)]


class Level(C.Structure):
    _fields_ = [("price", C.c_int64), ("qty", C.c_int64), ("orders", C.c_uint32)]


class BucketState(C.Structure):
    _fields_ = [("bucket", C.c_uint32), ("leverage", C.c_uint32), ("quote", C.c_int64),
                ("equity", C.c_int64), ("maintenance", C.c_int64), ("initial", C.c_int64),
                ("in_liquidation", C.c_uint8)]


class Trade(C.Structure):
    _fields_ = [("symbol", C.c_uint32), ("price", C.c_int64), ("qty", C.c_int64),
                ("aggressor", C.c_uint8), ("maker_account", C.c_uint32),
                ("maker_order", C.c_uint64), ("taker_account", C.c_uint32),
                ("taker_order", C.c_uint64), ("maker_remaining", C.c_int64),
                ("taker_remaining", C.c_int64), ("liquidation", C.c_uint8)]


class EventUnion(C.Union):
    # Only the members used here; `reserved` gives the union its full ABI size (128 bytes).
    _fields_ = [("trade", Trade), ("reserved", C.c_uint64 * 16)]


class Event(C.Structure):
    _fields_ = [("type", C.c_uint32), ("seq", C.c_uint64), ("ts_ns", C.c_int64),
                ("u", EventUnion)]


CALLBACK = C.CFUNCTYPE(None, C.c_void_p, C.POINTER(Event), C.POINTER(C.c_uint8), C.c_size_t)


def load(path):
    lib = C.CDLL(path)
    engine_p = C.c_void_p
    size_p = C.POINTER(C.c_size_t)
    u8_p = C.POINTER(C.c_uint8)
    signatures = {
        "cascade_version": (C.c_char_p, []),
        "cascade_abi_version": (C.c_uint32, []),
        "cascade_error_message": (C.c_char_p, [C.c_int32]),
        "cascade_last_error": (C.c_char_p, [engine_p]),
        "cascade_last_reject_reason": (C.c_uint16, [engine_p]),
        "cascade_config_init": (C.c_int32, [C.POINTER(Config)]),
        "cascade_create": (C.c_int32, [C.POINTER(Config), C.POINTER(engine_p)]),
        "cascade_create_from_snapshot":
            (C.c_int32, [C.POINTER(Config), u8_p, C.c_size_t, C.POINTER(engine_p)]),
        "cascade_destroy": (None, [engine_p]),
        "cascade_submit_json": (C.c_int32, [engine_p, C.c_char_p, size_p]),
        "cascade_submit_frame": (C.c_int32, [engine_p, u8_p, C.c_size_t, size_p]),
        "cascade_submit_new_order": (C.c_int32, [engine_p, C.POINTER(NewOrder), size_p]),
        "cascade_set_event_callback": (C.c_int32, [engine_p, CALLBACK, C.c_void_p, C.c_uint32]),
        "cascade_event_get": (C.c_int32, [engine_p, C.c_size_t, C.POINTER(Event)]),
        "cascade_events_read": (C.c_int32, [engine_p, u8_p, C.c_size_t, size_p]),
        "cascade_event_frame_to_json":
            (C.c_int32, [engine_p, u8_p, C.c_size_t, C.c_char_p, C.c_size_t, size_p]),
        "cascade_json_to_frame": (C.c_int32, [engine_p, C.c_char_p, u8_p, C.c_size_t, size_p]),
        "cascade_best_bid": (C.c_int32, [engine_p, C.c_uint32, C.POINTER(Level)]),
        "cascade_best_ask": (C.c_int32, [engine_p, C.c_uint32, C.POINTER(Level)]),
        "cascade_depth": (C.c_int32, [engine_p, C.c_uint32, C.c_uint8, C.POINTER(Level),
                                      C.c_size_t, size_p]),
        "cascade_bucket":
            (C.c_int32, [engine_p, C.c_uint32, C.c_uint8, C.c_uint32, C.POINTER(BucketState)]),
        "cascade_state_digest": (C.c_int32, [engine_p, C.POINTER(C.c_uint64)]),
        "cascade_last_seq": (C.c_int32, [engine_p, C.POINTER(C.c_uint64)]),
        "cascade_snapshot": (C.c_int32, [engine_p, u8_p, C.c_size_t, size_p]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype, function.argtypes = restype, argtypes
    return lib


class Engine:
    """A thin Pythonic wrapper: raises on any status other than those a caller asks to see."""

    def __init__(self, lib, handle):
        self.lib, self.handle = lib, handle

    @classmethod
    def create(cls, lib, config):
        handle = C.c_void_p()
        cls.check(lib, None, lib.cascade_create(C.byref(config), C.byref(handle)))
        return cls(lib, handle)

    @classmethod
    def from_snapshot(cls, lib, config, data):
        handle = C.c_void_p()
        buffer = (C.c_uint8 * len(data)).from_buffer_copy(data)
        cls.check(lib, None, lib.cascade_create_from_snapshot(
            C.byref(config), buffer, len(data), C.byref(handle)))
        return cls(lib, handle)

    @staticmethod
    def check(lib, handle, status, allowed=(OK,)):
        if status not in allowed:
            raise RuntimeError("%s: %s" % (lib.cascade_error_message(status).decode(),
                                           lib.cascade_last_error(handle).decode()))
        return status

    def call(self, name, *args, allowed=(OK,)):
        return self.check(self.lib, self.handle, getattr(self.lib, name)(self.handle, *args),
                          allowed)

    def destroy(self):
        self.lib.cascade_destroy(self.handle)
        self.handle = None

    def submit_json(self, line):
        count = C.c_size_t()
        self.call("cascade_submit_json", json.dumps(line).encode(), C.byref(count))
        return count.value

    def new_order(self, **fields):
        count = C.c_size_t()
        self.call("cascade_submit_new_order", C.byref(NewOrder(**fields)), C.byref(count))
        return count.value

    def read_bytes(self, name, *args):
        """The buffer protocol: ask for the size with an empty buffer, then read."""
        size = C.c_size_t()
        self.call(name, *args, None, 0, C.byref(size), allowed=(OK, E_BUFFER_TOO_SMALL))
        buffer = (C.c_uint8 * size.value)()
        self.call(name, *args, buffer, size.value, C.byref(size))
        return bytes(buffer[:size.value])

    def frames(self):
        data, frames, offset = self.read_bytes("cascade_events_read"), [], 0
        while offset < len(data):
            (length,) = struct.unpack_from("<I", data, offset)
            frames.append(data[offset:offset + 4 + length])
            offset += 4 + length
        return frames

    def frame_to_json(self, frame):
        buffer = (C.c_uint8 * len(frame)).from_buffer_copy(frame)
        size = C.c_size_t()
        self.call("cascade_event_frame_to_json", buffer, len(frame), None, 0, C.byref(size),
                  allowed=(E_BUFFER_TOO_SMALL,))
        text = C.create_string_buffer(size.value)
        self.call("cascade_event_frame_to_json", buffer, len(frame), text, size.value,
                  C.byref(size))
        return json.loads(text.value.decode())

    def u64(self, name):
        value = C.c_uint64()
        self.call(name, C.byref(value))
        return value.value


BTC_PERP = {
    "symbol": 1, "name": "BTC-PERP", "tick_size_nanos": 100000000, "lot_size_nanos": 1000000,
    "max_price": 10000000, "max_order_qty": 1000000, "max_position_qty": 10000000,
    "market_protection_ticks": 5000,
    "risk": {"tiers": [{"mmr": 400000, "imr": 800000},
                       {"notional_floor": 50000000000, "mmr": 500000, "imr": 1000000}],
             "maker_fee": 2000, "taker_fee": 5000, "liquidation_fee": 1250000},
}


def main():
    lib = load(sys.argv[1])
    print(lib.cascade_version().decode())
    assert lib.cascade_abi_version() >> 16 == 1

    config = Config()
    lib.cascade_config_init(C.byref(config))
    config.max_orders, config.max_accounts = 1024, 16
    config.max_buckets, config.max_positions = 64, 64
    engine = Engine.create(lib, config)

    # Market and money, as JSON inputs (the schema's names, docs/wire.md).
    assert engine.submit_json({"seq": 1, "ts_ns": 0, "body_type": "ConfigureSymbol",
                               "body": {"config": BTC_PERP}}) == 1
    for seq, account in ((2, 1), (3, 2)):
        engine.submit_json({"seq": seq, "ts_ns": 0, "body_type": "Deposit",
                            "body": {"account": account, "amount": 100_000_000_000}})  # $100k

    # Events through a callback while orders go in through the fast path.
    seen = []

    def on_event(_context, event, _frame, _size):
        e = event.contents
        seen.append((e.type, e.seq, e.u.trade.price if e.type == EVENT_TRADE else None,
                     e.u.trade.qty if e.type == EVENT_TRADE else None))

    callback = CALLBACK(on_event)  # kept referenced while installed
    engine.call("cascade_set_event_callback", callback, None, 0)
    engine.new_order(symbol=1, account=2, order_id=1, side=SIDE_SELL, price=850000, qty=10)
    engine.new_order(symbol=1, account=2, order_id=2, side=SIDE_SELL, price=850050, qty=10)
    count = engine.new_order(symbol=1, account=1, order_id=3, side=SIDE_BUY, price=850100,
                             qty=15, ts_ns=1000)
    trades = [(price, qty) for kind, _, price, qty in seen if kind == EVENT_TRADE]
    assert trades == [(850000, 10), (850050, 5)], trades
    print("callback saw %d events, trades %s" % (len(seen), trades))

    # The last order's events again, as FlatBuffers frames, shown as JSON.
    frames = engine.frames()
    assert len(frames) == count
    bodies = [engine.frame_to_json(f) for f in frames]
    kinds = [b["body_type"] for b in bodies]
    assert kinds[0] == "OrderAccepted" and kinds.count("Trade") == 2, kinds
    assert all(b["seq"] == 6 for b in bodies)
    types = [e[0] for e in seen[-count:]]  # the callback saw the same events in the same order
    assert types[0] == EVENT_ORDER_ACCEPTED and types.count(EVENT_TRADE) == 2, types
    event = Event()
    engine.call("cascade_event_get", 1, C.byref(event))
    assert (event.type, event.u.trade.maker_order, event.u.trade.taker_order) == (EVENT_TRADE, 1, 3)
    print("frames:", ", ".join(kinds))

    # A buffer one byte short: refused with the size needed, nothing lost.
    size = C.c_size_t()
    total = sum(len(f) for f in frames)
    short = (C.c_uint8 * (total - 1))()
    assert engine.call("cascade_events_read", short, total - 1, C.byref(size),
                       allowed=(E_BUFFER_TOO_SMALL,)) == E_BUFFER_TOO_SMALL
    assert size.value == total and engine.frames() == frames

    # Bad bytes: refused, nothing changes.
    digest = engine.u64("cascade_state_digest")
    garbage = (C.c_uint8 * 16)(*range(16))
    status = engine.call("cascade_submit_frame", garbage, 16, None, allowed=(E_INVALID_INPUT,))
    assert status == E_INVALID_INPUT and lib.cascade_last_reject_reason(engine.handle) == 100
    assert engine.u64("cascade_state_digest") == digest
    print("bad bytes refused:", lib.cascade_last_error(engine.handle).decode())

    # Book and margin queries.
    bid, ask = Level(), Level()
    assert engine.call("cascade_best_bid", 1, C.byref(bid), allowed=(E_NOT_FOUND,)) == E_NOT_FOUND
    engine.call("cascade_best_ask", 1, C.byref(ask))
    assert (ask.price, ask.qty, ask.orders) == (850050, 5, 1)
    levels, n = (Level * 4)(), C.c_size_t()
    engine.call("cascade_depth", 1, SIDE_SELL, levels, 4, C.byref(n))
    assert n.value == 1
    bucket = BucketState()
    engine.call("cascade_bucket", 1, 0, 0, C.byref(bucket))
    assert 0 < bucket.equity < 100_000_000_000 and bucket.initial > 0  # fees paid, position open
    print("account 1: equity %.2f USD, initial margin %.2f USD" %
          (bucket.equity / 1e6, bucket.initial / 1e6))

    # Snapshot and restore: the same digest, and the same events for the same next input.
    engine.call("cascade_set_event_callback", CALLBACK(), None, 0)
    snapshot = engine.read_bytes("cascade_snapshot")
    restored = Engine.from_snapshot(lib, config, snapshot)
    assert restored.u64("cascade_state_digest") == engine.u64("cascade_state_digest")
    cancel = json.dumps({"seq": 7, "ts_ns": 2000, "body_type": "CancelOrder",
                         "body": {"symbol": 1, "account": 2, "order_id": 2}}).encode()
    frame = engine.read_bytes("cascade_json_to_frame", cancel)
    for e in (engine, restored):
        e.call("cascade_submit_frame", (C.c_uint8 * len(frame)).from_buffer_copy(frame),
               len(frame), None)
    assert restored.frames() == engine.frames()
    assert restored.u64("cascade_state_digest") == engine.u64("cascade_state_digest")
    assert restored.u64("cascade_last_seq") == 7
    print("snapshot %d bytes; restored digest %016x matches" %
          (len(snapshot), restored.u64("cascade_state_digest")))

    restored.destroy()
    engine.destroy()
    print("python example: ok")


if __name__ == "__main__":
    main()
