-- Every promise reads the units orders wait for per (sku, location) to net incoming supply; without this
-- index that read scans all allocations, and they grow with every order.
CREATE INDEX order_allocation_backordered_idx ON order_allocation (sku, location_id) WHERE status = 'backordered';
