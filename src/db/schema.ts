// Row types of the tables in db/migrations, written once by hand (snake_case, as stored).
// Repositories map them to camelCase domain objects.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

export interface LocationTable {
  id: string;
  name: string;
  type: string;
  address: Json<Record<string, unknown>>;
  latitude: number | null;
  longitude: number | null;
  time_zone: string;
  opening_hours: Json<Record<string, unknown>>;
  opening_exceptions: Json<unknown[]>;
  capabilities: string[];
  daily_pick_capacity: number | null;
  handling_cost_minor: number;
  priority: number;
  data_reliability: number;
  active: boolean;
  cutoffs: Json<Record<string, string>>;
  processing_days: number | null;
  pickup_prep_minutes: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProductTable {
  sku: string;
  name: string;
  style_id: string | null;
  attributes: Json<Record<string, string>>;
  prices: Json<Record<string, number>>;
  weight_grams: number | null;
  backorderable: boolean;
  preorderable: boolean;
  active: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ChannelTable {
  id: string;
  name: string;
  type: string;
  eligible_location_ids: string[] | null;
  pool: Json<Record<string, unknown>>;
  active: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SafetyStockRuleTable {
  id: Generated<string>;
  sku: string | null;
  location_id: string | null;
  location_type: string | null;
  quantity: number;
  updated_at: Timestamp;
}

export interface StockPositionTable {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  last_set_at: Date | null;
  updated_at: Timestamp;
  updated_xid: ColumnType<string, never, never>;
}

export interface InventoryLedgerTable {
  id: Generated<string>;
  sku: string;
  location_id: string;
  occurred_at: Timestamp;
  cause: string;
  on_hand_before: number;
  on_hand_after: number;
  reserved_before: number;
  reserved_after: number;
  source: string | null;
  reference: string | null;
  actor: string;
}

export interface InventoryFeedEventTable {
  event_id: string;
  sku: string;
  location_id: string;
  applied_at: Timestamp;
}

export interface ReservationTable {
  id: Generated<string>;
  hold_id: string;
  sku: string;
  location_id: string;
  channel_id: string | null;
  quantity: number;
  status: string;
  reference: string | null;
  expires_at: Timestamp;
  created_at: Timestamp;
  ended_at: Date | null;
  ended_by: string | null;
}

export interface IncomingSupplyTable {
  id: Generated<string>;
  kind: string;
  reference: string;
  sku: string;
  location_id: string;
  quantity: number;
  expected_at: Timestamp;
  status: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ApiKeyTable {
  id: Generated<string>;
  name: string;
  key_hash: string;
  key_prefix: string;
  role: string;
  location_ids: string[];
  created_by: string;
  created_at: Timestamp;
  revoked_at: Date | null;
}

export interface AppUserTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  role: string;
  location_ids: string[];
  locale: string | null;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  disabled_at: Date | null;
  last_login_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserSessionTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  absolute_expires_at: Timestamp;
  revoked_at: Date | null;
  user_agent: string | null;
  ip: string | null;
}

export interface IdempotencyKeyTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response_body: Json<unknown>;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  occurred_at: Timestamp;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
}

export interface OutboxEventTable {
  id: Generated<string>;
  event_id: Generated<string>;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Json<unknown>;
  occurred_at: Timestamp;
  xid: ColumnType<string, never, never>;
  position: string | null;
}

export interface JobRunTable {
  name: string;
  last_run_at: Date | null;
  next_run_at: Timestamp;
  last_result: Json<unknown> | null;
}

export interface EventConsumerTable {
  name: string;
  position: ColumnType<string, string | number | undefined, string | number>;
  lease_owner: string | null;
  lease_until: Date | null;
  failures: ColumnType<number, number | undefined, number>;
  retry_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookSubscriptionTable {
  id: Generated<string>;
  url: string;
  description: string | null;
  event_types: string[];
  secret: string;
  status: ColumnType<string, string | undefined, string>;
  max_attempts: number;
  timeout_ms: number;
  start_after: ColumnType<string, string | number, string | number>;
  replay_after: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  replay_until: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookDeliveryTable {
  id: Generated<string>;
  subscription_id: string;
  event_id: string;
  position: ColumnType<string, string | number, string | number>;
  event_type: string;
  aggregate_key: string;
  status: ColumnType<string, string | undefined, string>;
  attempts: ColumnType<number, number | undefined, number>;
  total_attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  claimed_by: string | null;
  claimed_until: Date | null;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  delivered_at: Date | null;
  dead_at: Date | null;
  created_at: Timestamp;
}

export interface WebhookAttemptTable {
  id: Generated<string>;
  delivery_id: string;
  attempt: number;
  started_at: Timestamp;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
}

export interface NotificationTable {
  id: Generated<string>;
  event_id: string;
  event_type: string;
  order_id: string;
  order_number: string | null;
  channel: string;
  recipient: string;
  template: string;
  locale: string;
  essential: boolean;
  status: string;
  content: Json<unknown>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  provider: string | null;
  provider_message_id: string | null;
  provider_response: string | null;
  error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface NotificationSuppressionTable {
  channel: string;
  address: string;
  reason: string;
  note: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface NotificationKeyTable {
  id: Generated<boolean>;
  secret: string;
}

export interface DB {
  location: LocationTable;
  product: ProductTable;
  channel: ChannelTable;
  safety_stock_rule: SafetyStockRuleTable;
  stock_position: StockPositionTable;
  inventory_ledger: InventoryLedgerTable;
  inventory_feed_event: InventoryFeedEventTable;
  reservation: ReservationTable;
  incoming_supply: IncomingSupplyTable;
  api_key: ApiKeyTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  idempotency_key: IdempotencyKeyTable;
  audit_log: AuditLogTable;
  outbox_event: OutboxEventTable;
  carrier: CarrierTable;
  transit_observation: TransitObservationTable;
  departure_slip: DepartureSlipTable;
  promise_settings: PromiseSettingsTable;
  location_pick_load: LocationPickLoadTable;
  promise_hold: PromiseHoldTable;
  job_run: JobRunTable;
  event_consumer: EventConsumerTable;
  webhook_subscription: WebhookSubscriptionTable;
  webhook_delivery: WebhookDeliveryTable;
  webhook_attempt: WebhookAttemptTable;
  notification: NotificationTable;
  notification_suppression: NotificationSuppressionTable;
  notification_key: NotificationKeyTable;
  customer: CustomerTable;
  sales_order: SalesOrderTable;
  order_line: OrderLineTable;
  order_allocation: OrderAllocationTable;
  payment: PaymentTable;
  payment_event: PaymentEventTable;
  order_timeline: OrderTimelineTable;
  fulfillment_order: FulfillmentOrderTable;
  fulfillment_line: FulfillmentLineTable;
  shipping_label: ShippingLabelTable;
  location_performance: LocationPerformanceTable;
  fulfillment_settings: FulfillmentSettingsTable;
  order_sla: OrderSlaTable;
  routing_policy: RoutingPolicyTable;
  routing_policy_version: RoutingPolicyVersionTable;
  routing_policy_assignment: RoutingPolicyAssignmentTable;
  sourcing_decision: SourcingDecisionTable;
  return_policy: ReturnPolicyTable;
  sales_return: SalesReturnTable;
  return_line: ReturnLineTable;
  return_label: ReturnLabelTable;
  damaged_stock: DamagedStockTable;
  store_credit_entry: StoreCreditEntryTable;
}

export interface CarrierTable {
  id: string;
  name: string;
  tracking_url_template: string | null;
  services: Json<unknown[]>;
  active: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TransitObservationTable {
  id: Generated<string>;
  carrier_id: string;
  service: string;
  lane: string;
  shipment_reference: string;
  origin_location_id: string | null;
  departed_on: ColumnType<string, string, string>;
  delivered_on: ColumnType<string, string, string>;
  transit_days: number;
  recorded_at: Timestamp;
}

export interface DepartureSlipTable {
  id: Generated<string>;
  fulfillment_id: string;
  location_id: string;
  planned_on: ColumnType<string, string, string>;
  departed_on: ColumnType<string, string, string>;
  slip: number;
  recorded_at: Timestamp;
}

export interface PromiseSettingsTable {
  id: ColumnType<boolean, boolean | undefined, boolean>;
  settings: Json<Record<string, unknown>>;
  updated_at: Timestamp;
}

/** A day's pick load of a location is the sum of its slots' units (migration 0026). */
export interface LocationPickLoadTable {
  location_id: string;
  day: ColumnType<string, string, string>;
  slot: Generated<number>;
  units: number;
}

export interface PromiseHoldTable {
  token: Generated<string>;
  hold_id: string | null;
  channel_id: string;
  cart_hash: string;
  destination: Json<Record<string, unknown>>;
  option: Json<Record<string, unknown>>;
  pick_load: Json<Array<{ locationId: string; day: string; units: number }>>;
  status: ColumnType<string, string | undefined, string>;
  expires_at: Timestamp;
  created_at: Timestamp;
  created_by: string;
  ended_at: Timestamp | null;
  order_id: string | null;
}

export interface CustomerTable {
  id: Generated<string>;
  email: string | null;
  email_key: string | null;
  phone: string | null;
  phone_key: string | null;
  name: string | null;
  locale: string | null;
  loyalty_id: string | null;
  marketing_opt_out: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SalesOrderTable {
  id: Generated<string>;
  number: string;
  channel_id: string;
  channel_type: string;
  external_id: string | null;
  customer_id: string | null;
  contact: Json<Record<string, unknown>>;
  currency: string;
  delivery_method: string;
  service: string | null;
  address: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  pickup_location_id: string | null;
  origin_store_id: string | null;
  associate: string | null;
  status: string;
  subtotal_minor: number;
  discount_minor: number;
  shipping_minor: number;
  total_minor: number;
  promise_earliest: Date | null;
  promise_latest: Date | null;
  promise_confidence: number | null;
  promise_option: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  promise_token: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  cancelled_at: Date | null;
  cancel_reason: string | null;
}

export interface OrderLineTable {
  id: Generated<string>;
  order_id: string;
  position: number;
  sku: string;
  name: string;
  quantity: number;
  unit_price_minor: number;
  discount_minor: number;
  order_discount_minor: number;
  total_minor: number;
  status: string;
  cancelled_quantity: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export interface OrderAllocationTable {
  id: Generated<string>;
  order_id: string;
  line_id: string;
  sku: string;
  location_id: string;
  quantity: number;
  status: string;
  hold_id: string | null;
  reservation_id: string | null;
  transfer: ColumnType<boolean, boolean | undefined, boolean>;
  carrier: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  departure_date: ColumnType<string | null, string | null | undefined, string | null>;
  pick_day: ColumnType<string | null, string | null | undefined, string | null>;
  available_from: Date | null;
  earliest: string | null;
  latest: string | null;
  confidence: number | null;
  created_at: Timestamp;
  ended_at: Date | null;
  fulfillment_id: ColumnType<string | null, string | null | undefined, string | null>;
  decision_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PaymentTable {
  id: Generated<string>;
  order_id: string;
  provider: string;
  reference: string;
  currency: string;
  authorised_minor: number;
  captured_minor: ColumnType<number, number | undefined, number>;
  voided_minor: ColumnType<number, number | undefined, number>;
  refunded_minor: ColumnType<number, number | undefined, number>;
  status: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PaymentEventTable {
  id: Generated<string>;
  payment_id: string;
  operation: string;
  amount_minor: number;
  provider_reference: string;
  reason: string | null;
  actor: string;
  occurred_at: Timestamp;
}

export interface OrderTimelineTable {
  id: Generated<string>;
  order_id: string;
  occurred_at: Timestamp;
  actor: string;
  event: string;
  status_from: string | null;
  status_to: string | null;
  line_id: string | null;
  details: Json<Record<string, unknown>>;
}

type JsonOrNull<T> = ColumnType<T | null, string | null | undefined, string | null>;

export interface FulfillmentOrderTable {
  id: Generated<string>;
  number: string;
  order_id: string;
  location_id: string;
  kind: string;
  status: string;
  drop_ship: ColumnType<boolean, boolean | undefined, boolean>;
  destination_location_id: string | null;
  pickup_fulfillment_id: string | null;
  service: string | null;
  planned_carrier: JsonOrNull<Record<string, unknown>>;
  promised_earliest: string | null;
  promised_latest: string | null;
  confidence: number | null;
  due_at: Date | null;
  accept_by: Date | null;
  parcels: ColumnType<unknown[], string | undefined, string>;
  shipment: JsonOrNull<Record<string, unknown>>;
  pickup_code: string | null;
  pickup_attempts: ColumnType<number, number | undefined, number>;
  pickup_locked_until: Date | null;
  hold_until: Date | null;
  reminder_sent_at: Date | null;
  reject_reason: string | null;
  note: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  accepted_at: Date | null;
  picked_at: Date | null;
  packed_at: Date | null;
  shipped_at: Date | null;
  delivered_at: Date | null;
  ready_at: Date | null;
  collected_at: Date | null;
  ended_at: Date | null;
  /** held: released to the location at this instant (migration 0017). */
  release_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  released_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Consolidated: the lead fulfillment this one is picked, packed and shipped with. */
  merged_into_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface FulfillmentLineTable {
  id: Generated<string>;
  fulfillment_id: string;
  order_line_id: string;
  allocation_id: string;
  sku: string;
  quantity: number;
  picked_quantity: number | null;
}

export interface ShippingLabelTable {
  id: Generated<string>;
  fulfillment_id: string;
  carrier_id: string;
  tracking_number: string;
  format: ColumnType<string, string | undefined, string>;
  content: Buffer;
  created_at: Timestamp;
}

export interface LocationPerformanceTable {
  location_id: string;
  fulfillments: ColumnType<number, number | undefined, number>;
  rejections: ColumnType<number, number | undefined, number>;
  short_picks: ColumnType<number, number | undefined, number>;
  late_shipments: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export interface FulfillmentSettingsTable {
  id: ColumnType<boolean, boolean | undefined, never>;
  settings: Json<Record<string, unknown>>;
  updated_at: Timestamp;
  updated_by: string;
}

export interface OrderSlaTable {
  order_id: string;
  promise_latest: Date;
  state: string;
  reason: string;
  eta_earliest: Date;
  eta_latest: Date;
  changed_at: Timestamp;
  announced_at: Date | null;
  customer_eta_earliest: Date | null;
  customer_eta_latest: Date | null;
}

export interface RoutingPolicyTable {
  id: string;
  latest_version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RoutingPolicyVersionTable {
  policy_id: string;
  version: number;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  rules: Json<Record<string, unknown>>;
  created_at: Timestamp;
  created_by: string;
}

export interface RoutingPolicyAssignmentTable {
  channel_id: string;
  delivery_method: string;
  policy_id: string;
  pinned_version: number | null;
  updated_at: Timestamp;
  updated_by: string;
}

export interface SourcingDecisionTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  order_id: string;
  decided_at: Timestamp;
  actor: string;
  trigger: string;
  cause: string | null;
  fulfillment_id: string | null;
  option_id: string | null;
  units: Json<unknown[]>;
  shipments: Json<unknown[]>;
  total_cost_minor: number | null;
  costs: JsonOrNull<Record<string, unknown>>;
  candidates: number | null;
  alternatives: Json<unknown[]>;
  excluded: Json<unknown[]>;
  unserved: Json<unknown[]>;
  optimal: boolean | null;
  gap: number | null;
  method: string;
  policy_id: string | null;
  policy_version: number | null;
  policy_name: string | null;
  currency: string;
}

export interface ReturnPolicyTable {
  id: Generated<string>;
  channel_id: string | null;
  country: string | null;
  window_days: number;
  arrival_days: number;
  refund_shipping: boolean;
  auto_refund: boolean;
  unreturned_exchange: string;
  updated_at: Timestamp;
  updated_by: string;
}

export interface SalesReturnTable {
  id: Generated<string>;
  number: string;
  order_id: string;
  channel_id: string;
  destination_kind: string;
  location_id: string;
  destination_reason: JsonOrNull<Record<string, unknown>>;
  resolution: string;
  status: string;
  currency: string;
  policy: Json<Record<string, unknown>>;
  return_by: Timestamp;
  exchange_order_id: string | null;
  exchange_credit_minor: ColumnType<number, number | undefined, number>;
  exchange_payment: JsonOrNull<Record<string, unknown>>;
  exchange_outcome: string | null;
  refund_minor: ColumnType<number, number | undefined, number>;
  shipping_refund_minor: ColumnType<number, number | undefined, number>;
  unsettled_minor: ColumnType<number, number | undefined, number>;
  credit_minor: ColumnType<number, number | undefined, number>;
  charged_minor: ColumnType<number, number | undefined, number>;
  note: string | null;
  cancel_reason: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  received_at: Date | null;
  settled_at: Date | null;
  cancelled_at: Date | null;
}

export interface ReturnLineTable {
  id: Generated<string>;
  return_id: string;
  order_line_id: string;
  sku: string;
  quantity: number;
  reason: string;
  resellable_quantity: number | null;
  damaged_quantity: number | null;
  missing_quantity: number | null;
  value_minor: ColumnType<number, number | undefined, number>;
  note: string | null;
}

export interface ReturnLabelTable {
  id: Generated<string>;
  return_id: string;
  carrier_id: string;
  service: string;
  tracking_number: string;
  tracking_url: string | null;
  content: Buffer;
  created_at: Timestamp;
}

export interface DamagedStockTable {
  sku: string;
  location_id: string;
  quantity: number;
  updated_at: Timestamp;
}

export interface StoreCreditEntryTable {
  id: Generated<string>;
  customer_id: string;
  currency: string;
  amount_minor: number;
  return_id: string | null;
  reason: string;
  actor: string;
  occurred_at: Timestamp;
}
