package runtime

import "github.com/gotensor/gotensor/chain/tx"

// Balances: transfer, transfer_all, the dev faucet, and the withdraw/deposit helpers other concerns use.
// Accounts are never reaped (the nonce survives a zero balance, so old transactions cannot be replayed);
// a remainder below the existential deposit is burned as dust.

func (c *call) issuance() uint64                           { return c.s.u64(key(kTotalIssuance)) }
func (c *call) setIssuance(v uint64)                       { c.s.setU64(key(kTotalIssuance), v) }
func (c *call) ed() uint64                                 { return c.s.global(GExistentialDeposit) }
func (c *call) canWithdraw(a [32]byte, amount uint64) bool { return c.s.balance(a) >= amount }

// withdraw takes amount from a (the caller checked canWithdraw).
func (c *call) withdraw(a [32]byte, amount uint64) {
	c.s.setBalance(a, c.s.balance(a)-amount)
}

// deposit credits amount to a (saturating).
func (c *call) deposit(a [32]byte, amount uint64) {
	b := c.s.balance(a)
	if b+amount < b {
		b = u64max
	} else {
		b += amount
	}
	c.s.setBalance(a, b)
}

// transfer: 1. amount ≤ free (InsufficientBalance); 2. a new recipient must receive at least the
// existential deposit (ExistentialDeposit); 3. move; a sender remainder below the ED is burned (DustLost).
// Events: Transfer(from, to, amount), DustLost(account, amount).
func (c *call) transfer(t tx.Transfer) error {
	return c.move(t.Dest, t.Amount)
}

func (c *call) move(dest [32]byte, amount uint64) error {
	from := c.signer
	free := c.s.balance(from)
	if amount > free {
		return fail(ErrInsufficientBalance, "transfer %d rao, free %d", amount, free)
	}
	if dest != from {
		if c.s.balance(dest) == 0 && amount < c.ed() {
			return fail(ErrExistentialDeposit, "transfer %d rao to a new account, existential deposit %d", amount, c.ed())
		}
		rest := free - amount
		c.deposit(dest, amount)
		if rest > 0 && rest < c.ed() {
			c.setIssuance(c.issuance() - rest)
			c.emit(ev(EvDustLost, attrA("account", from), attrU("amount", rest)))
			rest = 0
		}
		c.s.setBalance(from, rest)
	}
	c.emit(ev(EvTransfer, attrA("from", from), attrA("to", dest), attrU("amount", amount)))
	return nil
}

// transfer_all: the whole free balance, or all but the existential deposit with keep_alive.
func (c *call) transferAll(t tx.TransferAll) error {
	amount := c.s.balance(c.signer)
	if t.KeepAlive {
		amount -= min(amount, c.ed())
	}
	return c.move(t.Dest, amount)
}

// faucet (dev chains): 1. enabled (FaucetDisabled); 2. work block in the last 3 blocks (InvalidWorkBlock);
// 3. seal × faucet_difficulty < 2^256 (InvalidDifficulty); 4. seal == SealHash(block hash, signer, nonce)
// and not used before (InvalidSeal); 5. mint faucet_amount to the signer. Event Faucet(coldkey, amount).
func (c *call) faucet(f tx.Faucet) error {
	if c.s.global(GFaucetEnabled) == 0 {
		return fail(ErrFaucetDisabled, "faucet")
	}
	if err := c.checkWork(f.BlockNumber, f.Nonce, f.Work, c.signer, c.s.global(GFaucetDifficulty)); err != nil {
		return err
	}
	if c.s.has(key(kUsedWork).acct(f.Work)) {
		return fail(ErrInvalidSeal, "faucet: work already used")
	}
	c.s.setU64(key(kUsedWork).acct(f.Work), c.block)
	amount := c.s.global(GFaucetAmount)
	c.deposit(c.signer, amount)
	c.setIssuance(c.issuance() + amount)
	c.emit(ev(EvFaucet, attrA("coldkey", c.signer), attrU("amount", amount)))
	return nil
}

// blockHash is frame_system::block_hash: the stored hash of block b, all zeros for the current block and
// for blocks older than the kept window.
func (s st) blockHash(b, now uint64) [32]byte {
	var h [32]byte
	if b >= now {
		return h
	}
	if v, ok := s.kv.Get(key(kBlockHash).u64(b)); ok && len(v) == 32 {
		copy(h[:], v)
	}
	return h
}

// checkWork is the PoW check shared by register and faucet (§1.2 steps 7–9).
func (c *call) checkWork(b, nonce uint64, work, hotkey [32]byte, difficulty uint64) error {
	if b > c.block || c.block-b >= 3 {
		return fail(ErrInvalidWorkBlock, "work block %d at block %d", b, c.block)
	}
	if !tx.MeetsDifficulty(work, difficulty) {
		return fail(ErrInvalidDifficulty, "work does not meet difficulty %d", difficulty)
	}
	if tx.SealHash(c.s.blockHash(b, c.block), hotkey, nonce) != work {
		return fail(ErrInvalidSeal, "seal mismatch")
	}
	return nil
}
