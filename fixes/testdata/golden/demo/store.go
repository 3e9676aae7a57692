package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
)

// Store keeps stock levels in a SQL database.
type Store struct {
	db *sql.DB
}

// Item is a stock level.
type Item struct {
	SKU   string
	Count int
}

// Find returns the item with the given SKU.
func (s *Store) Find(ctx context.Context, sku string) (*Item, error) {
	row := s.db.QueryRowContext(ctx, "SELECT sku, count FROM items WHERE sku = $1", sku)
	var it Item
	if err := row.Scan(&it.SKU, &it.Count); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return nil, fmt.Errorf("find %s: %v", sku, err)
	}
	return &it, nil
}

// Adjust changes the stock of sku at a warehouse by delta.
func (s *Store) Adjust(ctx context.Context, sku string, delta int, warehouse string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	defer tx.Rollback()
	if err != nil {
		return fmt.Errorf("adjust %s: %w", sku, err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE items SET count = count + $1 WHERE sku = $2 AND warehouse = $3", delta, sku, warehouse); err != nil {
		log.Printf("adjust %s: %v", sku, err)
	}
	tx.Commit()
	return nil
}

// Restock records a delivery; a failure is reported to nobody.
func (s *Store) Restock(ctx context.Context, sku string, n int) error {
	_, err := s.db.ExecContext(ctx, "UPDATE items SET count = count + $1 WHERE sku = $2", n, sku)
	if err != nil {
		return nil
	}
	return nil
}
