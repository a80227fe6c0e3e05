// SPDX-License-Identifier: AGPL-3.0-only
pragma solidity 0.8.30;

// Test doubles of Maker's core contracts, written for the indexer's end-to-end tests. They keep the state the
// indexer derives (ink, art, rate, spot, debt, auctions) and emit exactly the events and anonymous notes of the
// deployed contracts, so the indexer reads the same topics and payloads it reads on mainnet. Access control,
// gem and dai balances, and price curves are left out.

uint256 constant WAD = 10 ** 18;
uint256 constant RAY = 10 ** 27;

// Vat's own note: topic0 = the selector, topics 1-3 = the first three arguments, data = the first 224 bytes of
// calldata (zero-padded), ABI-encoded as `bytes`.
abstract contract VatNote {
    event LogNote(bytes4 indexed sig, bytes32 indexed arg1, bytes32 indexed arg2, bytes32 indexed arg3, bytes data) anonymous;

    modifier note() {
        _;
        emit LogNote(msg.sig, word(0), word(1), word(2), padded());
    }

    function word(uint256 i) internal pure returns (bytes32 w) {
        assembly { w := calldataload(add(4, mul(i, 32))) }
    }

    function padded() internal pure returns (bytes memory data) {
        data = new bytes(224);
        assembly { calldatacopy(add(data, 32), 0, 224) }
    }
}

// dss LibNote (Jug, End): topic1 is the caller, topics 2-3 the first two arguments.
abstract contract LibNote is VatNote {
    event LogNote(bytes4 indexed sig, address indexed usr, bytes32 indexed arg1, bytes32 indexed arg2, bytes data) anonymous;

    modifier libNote() {
        _;
        emit LogNote(msg.sig, msg.sender, word(0), word(1), padded());
    }
}

// ds-note (Chief): topic1 the caller, topics 2-3 the first two arguments, then msg.value and the whole calldata.
abstract contract DSNote is VatNote {
    event LogNote(bytes4 indexed sig, address indexed guy, bytes32 indexed foo, bytes32 indexed bar, uint256 wad, bytes fax) anonymous;

    modifier dsNote() {
        _;
        uint256 value;
        assembly { value := callvalue() }
        emit LogNote(msg.sig, msg.sender, word(0), word(1), value, msg.data);
    }
}

contract Vat is VatNote {
    struct Ilk { uint256 Art; uint256 rate; uint256 spot; uint256 line; uint256 dust; }
    struct Urn { uint256 ink; uint256 art; }

    mapping(bytes32 => Ilk) public ilks;
    mapping(bytes32 => mapping(address => Urn)) public urns;
    mapping(address => uint256) public dai;
    mapping(address => uint256) public sin;
    uint256 public debt;
    uint256 public vice;
    uint256 public Line;
    uint256 public live = 1;

    function init(bytes32 ilk) external note {
        require(ilks[ilk].rate == 0, "Vat/ilk-already-init");
        ilks[ilk].rate = RAY;
    }

    function file(bytes32 what, uint256 data) external note {
        require(what == "Line", "Vat/file-unrecognized-param");
        Line = data;
    }

    function file(bytes32 ilk, bytes32 what, uint256 data) external note {
        require(live == 1, "Vat/not-live");
        if (what == "spot") ilks[ilk].spot = data;
        else if (what == "line") ilks[ilk].line = data;
        else if (what == "dust") ilks[ilk].dust = data;
        else revert("Vat/file-unrecognized-param");
    }

    function cage() external note {
        live = 0;
    }

    function frob(bytes32 i, address u, address v, address w, int256 dink, int256 dart) external note {
        v; w;
        require(live == 1, "Vat/not-live");
        Ilk storage ilk = ilks[i];
        require(ilk.rate != 0, "Vat/ilk-not-init");
        Urn storage urn = urns[i][u];
        urn.ink = add(urn.ink, dink);
        urn.art = add(urn.art, dart);
        ilk.Art = add(ilk.Art, dart);
        int256 dtab = int256(ilk.rate) * dart;
        debt = add(debt, dtab);
    }

    function fork(bytes32 ilk, address src, address dst, int256 dink, int256 dart) external note {
        Urn storage u = urns[ilk][src];
        Urn storage v = urns[ilk][dst];
        u.ink = sub(u.ink, dink);
        u.art = sub(u.art, dart);
        v.ink = add(v.ink, dink);
        v.art = add(v.art, dart);
    }

    function grab(bytes32 i, address u, address v, address w, int256 dink, int256 dart) external note {
        v;
        Urn storage urn = urns[i][u];
        Ilk storage ilk = ilks[i];
        urn.ink = add(urn.ink, dink);
        urn.art = add(urn.art, dart);
        ilk.Art = add(ilk.Art, dart);
        int256 dtab = int256(ilk.rate) * dart;
        sin[w] = sub(sin[w], dtab);
        vice = sub(vice, dtab);
    }

    function suck(address u, address v, uint256 rad) external note {
        sin[u] += rad;
        dai[v] += rad;
        vice += rad;
        debt += rad;
    }

    function heal(uint256 rad) external note {
        sin[msg.sender] -= rad;
        vice -= rad;
        debt -= rad;
    }

    function fold(bytes32 i, address u, int256 rate) external note {
        require(live == 1, "Vat/not-live");
        Ilk storage ilk = ilks[i];
        ilk.rate = add(ilk.rate, rate);
        int256 rad = int256(ilk.Art) * rate;
        dai[u] = add(dai[u], rad);
        debt = add(debt, rad);
    }

    function add(uint256 x, int256 y) internal pure returns (uint256) {
        return y >= 0 ? x + uint256(y) : x - uint256(-y);
    }

    function sub(uint256 x, int256 y) internal pure returns (uint256) {
        return y >= 0 ? x - uint256(y) : x + uint256(-y);
    }
}

// A DSValue-like price feed: the value is a wad price.
contract Pip {
    bytes32 public val;

    function poke(bytes32 wut) external {
        val = wut;
    }

    function peek() external view returns (bytes32, bool) {
        return (val, val != 0);
    }
}

contract Spotter {
    struct Ilk { address pip; uint256 mat; }

    Vat public vat;
    mapping(bytes32 => Ilk) public ilks;
    uint256 public par = RAY;

    event Poke(bytes32 ilk, bytes32 val, uint256 spot);

    constructor(Vat vat_) {
        vat = vat_;
    }

    function file(bytes32 ilk, address pip_, uint256 mat) external {
        ilks[ilk] = Ilk(pip_, mat);
    }

    function poke(bytes32 ilk) external {
        (bytes32 val, bool has) = Pip(ilks[ilk].pip).peek();
        uint256 spot = has ? uint256(val) * 10 ** 9 * RAY / par * RAY / ilks[ilk].mat : 0;
        vat.file(ilk, "spot", spot);
        emit Poke(ilk, val, spot);
    }
}

contract Jug is LibNote {
    Vat public vat;
    address public vow;
    mapping(bytes32 => uint256) public step; // rate increase per drip [ray]

    constructor(Vat vat_, address vow_) {
        vat = vat_;
        vow = vow_;
    }

    function file(bytes32 ilk, bytes32 what, uint256 data) external libNote {
        require(what == "step", "Jug/file-unrecognized-param");
        step[ilk] = data;
    }

    function drip(bytes32 ilk) external libNote returns (uint256 rate) {
        (, uint256 prev,,,) = vat.ilks(ilk);
        vat.fold(ilk, vow, int256(step[ilk]));
        rate = prev + step[ilk];
    }
}

contract Clipper {
    struct Sale { uint256 tab; uint256 lot; address usr; uint96 tic; uint256 top; }

    Spotter public spotter;
    bytes32 public ilk;
    uint256 public buf = RAY;
    uint256 public kicks;
    mapping(uint256 => Sale) public sales;

    event Kick(uint256 indexed id, uint256 top, uint256 tab, uint256 lot, address indexed usr, address indexed kpr, uint256 coin);
    event Take(uint256 indexed id, uint256 max, uint256 price, uint256 owe, uint256 tab, uint256 lot, address indexed usr);
    event Redo(uint256 indexed id, uint256 top, uint256 tab, uint256 lot, address indexed usr, address indexed kpr, uint256 coin);
    event Yank(uint256 id);

    constructor(Spotter spotter_, bytes32 ilk_) {
        spotter = spotter_;
        ilk = ilk_;
    }

    function price() internal view returns (uint256) {
        (address pip,) = spotter.ilks(ilk);
        (bytes32 val, bool has) = Pip(pip).peek();
        require(has, "Clipper/invalid-price");
        return uint256(val) * 10 ** 9 * RAY / spotter.par();
    }

    function kick(uint256 tab, uint256 lot, address usr, address kpr) external returns (uint256 id) {
        require(tab > 0 && lot > 0 && usr != address(0), "Clipper/zero");
        id = ++kicks;
        uint256 top = price() * buf / RAY;
        sales[id] = Sale(tab, lot, usr, uint96(block.timestamp), top);
        emit Kick(id, top, tab, lot, usr, kpr, 0);
    }

    function redo(uint256 id, address kpr) external {
        Sale storage s = sales[id];
        require(s.usr != address(0), "Clipper/not-running-auction");
        s.tic = uint96(block.timestamp);
        s.top = price() * buf / RAY;
        emit Redo(id, s.top, s.tab, s.lot, s.usr, kpr, 0);
    }

    // The price is the auction's top, without a decay curve, so a test knows every figure in advance.
    function take(uint256 id, uint256 amt, uint256 max, address who, bytes calldata data) external {
        who; data;
        Sale storage s = sales[id];
        require(s.usr != address(0), "Clipper/not-running-auction");
        uint256 p = s.top;
        require(max >= p, "Clipper/too-expensive");
        uint256 slice = amt < s.lot ? amt : s.lot;
        uint256 owe = slice * p;
        if (owe > s.tab) {
            owe = s.tab;
            slice = owe / p;
        }
        uint256 tab = s.tab - owe;
        uint256 lot = s.lot - slice;
        address usr = s.usr;
        if (lot == 0 || tab == 0) delete sales[id];
        else (s.tab, s.lot) = (tab, lot);
        emit Take(id, max, p, owe, tab, lot, usr);
    }

    function yank(uint256 id) external {
        require(sales[id].usr != address(0), "Clipper/not-running-auction");
        delete sales[id];
        emit Yank(id);
    }
}

contract Dog {
    struct Ilk { address clip; uint256 chop; }

    Vat public vat;
    address public vow;
    mapping(bytes32 => Ilk) public ilks;

    event Bark(bytes32 indexed ilk, address indexed urn, uint256 ink, uint256 art, uint256 due, address clip, uint256 indexed id);

    constructor(Vat vat_, address vow_) {
        vat = vat_;
        vow = vow_;
    }

    function file(bytes32 ilk, address clip, uint256 chop) external {
        ilks[ilk] = Ilk(clip, chop);
    }

    function bark(bytes32 ilk, address urn, address kpr) external returns (uint256 id) {
        (uint256 ink, uint256 art) = vat.urns(ilk, urn);
        (, uint256 rate, uint256 spot,,) = vat.ilks(ilk);
        require(spot > 0 && ink * spot < art * rate, "Dog/not-unsafe");
        address clip = ilks[ilk].clip;
        vat.grab(ilk, urn, clip, vow, -int256(ink), -int256(art));
        uint256 due = art * rate;
        uint256 tab = due * ilks[ilk].chop / WAD;
        id = Clipper(clip).kick(tab, ink, urn, kpr);
        emit Bark(ilk, urn, ink, art, due, clip, id);
    }
}

contract End is LibNote {
    Vat public vat;
    Spotter public spot;
    address public vow;
    uint256 public live = 1;
    mapping(bytes32 => uint256) public tag; // cage price [ray]

    constructor(Vat vat_, Spotter spot_, address vow_) {
        vat = vat_;
        spot = spot_;
        vow = vow_;
    }

    function cage() external libNote {
        require(live == 1, "End/not-live");
        live = 0;
        vat.cage();
    }

    function cage(bytes32 ilk) external libNote {
        require(live == 0 && tag[ilk] == 0, "End/tag-ilk-already-defined");
        (address pip,) = spot.ilks(ilk);
        (bytes32 val,) = Pip(pip).peek();
        tag[ilk] = WAD * RAY / uint256(val);
    }

    function skim(bytes32 ilk, address urn) external libNote {
        require(tag[ilk] != 0, "End/tag-ilk-not-defined");
        (, uint256 rate,,,) = vat.ilks(ilk);
        (uint256 ink, uint256 art) = vat.urns(ilk, urn);
        uint256 owe = art * rate / RAY * tag[ilk] / RAY;
        uint256 wad = ink < owe ? ink : owe;
        vat.grab(ilk, urn, address(this), vow, -int256(wad), -int256(art));
    }

    function free(bytes32 ilk) external libNote {
        require(live == 0, "End/still-live");
        (uint256 ink, uint256 art) = vat.urns(ilk, msg.sender);
        require(art == 0, "End/art-not-zero");
        vat.grab(ilk, msg.sender, msg.sender, vow, -int256(ink), 0);
    }
}

contract Chief is DSNote {
    mapping(address => uint256) public deposits;
    mapping(address => bytes32) public votes;
    mapping(bytes32 => address[]) public slates;
    address public hat;

    event Etch(bytes32 indexed slate);

    function lock(uint256 wad) external dsNote {
        deposits[msg.sender] += wad;
    }

    function free(uint256 wad) external dsNote {
        deposits[msg.sender] -= wad;
    }

    function etch(address[] memory yays) public dsNote returns (bytes32 slate) {
        slate = _etch(yays);
    }

    function vote(address[] memory yays) external dsNote returns (bytes32 slate) {
        slate = _etch(yays);
        votes[msg.sender] = slate;
    }

    function vote(bytes32 slate) external dsNote {
        votes[msg.sender] = slate;
    }

    function lift(address whom) external dsNote {
        hat = whom;
    }

    function _etch(address[] memory yays) internal returns (bytes32 slate) {
        slate = keccak256(abi.encodePacked(yays));
        slates[slate] = yays;
        emit Etch(slate);
    }
}

contract PollingEmitter {
    uint256 public npoll;

    event PollCreated(address indexed creator, uint256 blockCreated, uint256 indexed pollId, uint256 startDate, uint256 endDate, string multiHash, string url);
    event Voted(address indexed voter, uint256 indexed pollId, uint256 indexed optionId);

    function createPoll(uint256 startDate, uint256 endDate, string calldata multiHash, string calldata url) external {
        uint256 start = startDate > block.timestamp ? startDate : block.timestamp;
        require(endDate > start, "polling-invalid-poll-window");
        emit PollCreated(msg.sender, block.number, npoll++, start, endDate, multiHash, url);
    }

    function vote(uint256 pollId, uint256 optionId) external {
        emit Voted(msg.sender, pollId, optionId);
    }
}

// Drives many Vat notes per transaction for the benchmark: each frob is a real Vat call.
contract Loader {
    function frobMany(Vat vat, bytes32 ilk, uint256 n, uint256 salt) external {
        for (uint256 k = 0; k < n; k++) {
            address u = address(uint160(uint256(keccak256(abi.encode(salt, k)))));
            vat.frob(ilk, u, u, u, int256(WAD), int256(WAD / 2));
        }
    }
}
