export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]

export type Database = {
  public: {
    Tables: {
      admin_audit: {
        Row: {
          action: string
          actor_email: string | null
          actor_id: string | null
          at: string
          created_at: string
          details: Json
          id: number
          ip: string | null
          method: string | null
          record_id: string | null
          route: string | null
          status: string
          table_name: string | null
          user_agent: string | null
        }
        Insert: {
          action: string
          actor_email?: string | null
          actor_id?: string | null
          at?: string
          created_at?: string
          details?: Json
          id?: never
          ip?: string | null
          method?: string | null
          record_id?: string | null
          route?: string | null
          status?: string
          table_name?: string | null
          user_agent?: string | null
        }
        Update: {
          action?: string
          actor_email?: string | null
          actor_id?: string | null
          at?: string
          created_at?: string
          details?: Json
          id?: never
          ip?: string | null
          method?: string | null
          record_id?: string | null
          route?: string | null
          status?: string
          table_name?: string | null
          user_agent?: string | null
        }
        Relationships: []
      }
      admin_sessions: {
        Row: {
          created_at: string
          email: string | null
          ended_at: string | null
          expires_at: string | null
          first_seen_at: string
          id: number
          ip: string | null
          last_seen_at: string
          session_hash: string
          user_agent: string | null
          user_id: string
        }
        Insert: {
          created_at?: string
          email?: string | null
          ended_at?: string | null
          expires_at?: string | null
          first_seen_at?: string
          id?: never
          ip?: string | null
          last_seen_at?: string
          session_hash: string
          user_agent?: string | null
          user_id: string
        }
        Update: {
          created_at?: string
          email?: string | null
          ended_at?: string | null
          expires_at?: string | null
          first_seen_at?: string
          id?: never
          ip?: string | null
          last_seen_at?: string
          session_hash?: string
          user_agent?: string | null
          user_id?: string
        }
        Relationships: []
      }
      app_config: {
        Row: {
          created_at: string
          description: string | null
          expected_version: number | null
          key: string
          updated_at: string
          updated_by: string | null
          value: Json
          version: number
        }
        Insert: {
          created_at?: string
          description?: string | null
          expected_version?: number | null
          key: string
          updated_at?: string
          updated_by?: string | null
          value: Json
          version?: number
        }
        Update: {
          created_at?: string
          description?: string | null
          expected_version?: number | null
          key?: string
          updated_at?: string
          updated_by?: string | null
          value?: Json
          version?: number
        }
        Relationships: []
      }
      credit_block_draws: {
        Row: {
          amount: number
          block_id: number
          created_at: string
          id: number
          transaction_id: number
        }
        Insert: {
          amount: number
          block_id: number
          created_at?: string
          id?: never
          transaction_id: number
        }
        Update: {
          amount?: number
          block_id?: number
          created_at?: string
          id?: never
          transaction_id?: number
        }
        Relationships: [
          {
            foreignKeyName: "credit_block_draws_block_id_fkey"
            columns: ["block_id"]
            isOneToOne: false
            referencedRelation: "credit_blocks"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "credit_block_draws_transaction_id_fkey"
            columns: ["transaction_id"]
            isOneToOne: false
            referencedRelation: "credit_transactions"
            referencedColumns: ["id"]
          },
        ]
      }
      credit_blocks: {
        Row: {
          amount_usd: number | null
          created_at: string
          customer_id: string
          draw_rank: number | null
          expires_at: string | null
          has_credits: boolean | null
          id: number
          kind: string
          original: number
          remaining: number
          source_transaction_id: number
          unit_price_usd: number | null
        }
        Insert: {
          amount_usd?: number | null
          created_at?: string
          customer_id: string
          draw_rank?: never
          expires_at?: string | null
          has_credits?: never
          id?: never
          kind: string
          original: number
          remaining: number
          source_transaction_id: number
          unit_price_usd?: number | null
        }
        Update: {
          amount_usd?: number | null
          created_at?: string
          customer_id?: string
          draw_rank?: never
          expires_at?: string | null
          has_credits?: never
          id?: never
          kind?: string
          original?: number
          remaining?: number
          source_transaction_id?: number
          unit_price_usd?: number | null
        }
        Relationships: [
          {
            foreignKeyName: "credit_blocks_customer_id_fkey"
            columns: ["customer_id"]
            isOneToOne: false
            referencedRelation: "customers"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "credit_blocks_source_transaction_id_fkey"
            columns: ["source_transaction_id"]
            isOneToOne: false
            referencedRelation: "credit_transactions"
            referencedColumns: ["id"]
          },
        ]
      }
      credit_transactions: {
        Row: {
          actor: string | null
          balance_after: number
          cost_usd: number | null
          created_at: string
          customer_id: string
          delta: number
          id: number
          idempotency_key: string | null
          provider: string | null
          reason: string | null
          ref_id: string | null
          ref_type: string | null
          source: string
          type: string
        }
        Insert: {
          actor?: string | null
          balance_after: number
          cost_usd?: number | null
          created_at?: string
          customer_id: string
          delta: number
          id?: never
          idempotency_key?: string | null
          provider?: string | null
          reason?: string | null
          ref_id?: string | null
          ref_type?: string | null
          source?: string
          type: string
        }
        Update: {
          actor?: string | null
          balance_after?: number
          cost_usd?: number | null
          created_at?: string
          customer_id?: string
          delta?: number
          id?: never
          idempotency_key?: string | null
          provider?: string | null
          reason?: string | null
          ref_id?: string | null
          ref_type?: string | null
          source?: string
          type?: string
        }
        Relationships: [
          {
            foreignKeyName: "credit_transactions_customer_id_fkey"
            columns: ["customer_id"]
            isOneToOne: false
            referencedRelation: "customers"
            referencedColumns: ["id"]
          },
        ]
      }
      customer_activity_bitmaps: {
        Row: {
          bits: unknown
          day: string
          provider: string
        }
        Insert: {
          bits?: unknown
          day: string
          provider: string
        }
        Update: {
          bits?: unknown
          day?: string
          provider?: string
        }
        Relationships: []
      }
      customer_activity_changes: {
        Row: {
          customer_id: string
          day: string
          provider: string
        }
        Insert: {
          customer_id: string
          day: string
          provider: string
        }
        Update: {
          customer_id?: string
          day?: string
          provider?: string
        }
        Relationships: []
      }
      customer_activity_keys: {
        Row: {
          customer_id: string
          key: number
        }
        Insert: {
          customer_id: string
          key?: never
        }
        Update: {
          customer_id?: string
          key?: never
        }
        Relationships: []
      }
      customer_activity_period_bitmaps: {
        Row: {
          bits: unknown
          grain: string
          provider: string
          start: string
        }
        Insert: {
          bits?: unknown
          grain: string
          provider: string
          start: string
        }
        Update: {
          bits?: unknown
          grain?: string
          provider?: string
          start?: string
        }
        Relationships: []
      }
      customer_balances: {
        Row: {
          credits: number
          customer_id: string
        }
        Insert: {
          credits?: number
          customer_id: string
        }
        Update: {
          credits?: number
          customer_id?: string
        }
        Relationships: []
      }
      customer_daily_activity: {
        Row: {
          cost_usd: number
          customer_id: string
          day: string
          generations: number
          provider: string
        }
        Insert: {
          cost_usd?: number
          customer_id: string
          day: string
          generations?: number
          provider: string
        }
        Update: {
          cost_usd?: number
          customer_id?: string
          day?: string
          generations?: number
          provider?: string
        }
        Relationships: []
      }
      customer_daily_revenue: {
        Row: {
          customer_id: string
          day: string
          provider: string
          revenue_usd: number
        }
        Insert: {
          customer_id: string
          day: string
          provider: string
          revenue_usd?: number
        }
        Update: {
          customer_id?: string
          day?: string
          provider?: string
          revenue_usd?: number
        }
        Relationships: []
      }
      customer_monthly_costs: {
        Row: {
          cost_usd: number
          customer_id: string
          generations: number
          month: string
          provider: string
        }
        Insert: {
          cost_usd?: number
          customer_id: string
          generations?: number
          month: string
          provider: string
        }
        Update: {
          cost_usd?: number
          customer_id?: string
          generations?: number
          month?: string
          provider?: string
        }
        Relationships: []
      }
      customer_monthly_revenue: {
        Row: {
          customer_id: string
          month: string
          provider: string
          revenue_usd: number
        }
        Insert: {
          customer_id: string
          month: string
          provider: string
          revenue_usd?: number
        }
        Update: {
          customer_id?: string
          month?: string
          provider?: string
          revenue_usd?: number
        }
        Relationships: []
      }
      customers: {
        Row: {
          auto_topup_enabled: boolean
          auto_topup_monthly_limit_packs: number | null
          created_at: string
          credits: number
          deleted_at: string | null
          disabled: boolean
          disabled_reason: string | null
          display_name: string | null
          email: string | null
          expires_at: string | null
          first_name: string | null
          id: string
          last_active: string | null
          last_name: string | null
          last_topup_at: string | null
          locale: string | null
          marketing_opt_in: boolean
          meta: Json
          product_updates_opt_in: boolean
          shopify_customer_id: string | null
          source_system: string
          timezone: string | null
          topup_default_packs: number
          topup_source: string | null
          updated_at: string
          user_id: string | null
          verification_at: string | null
          verification_method: string | null
          verified_any: boolean | null
          verified_apple: boolean
          verified_email: boolean
          verified_google: boolean
        }
        Insert: {
          auto_topup_enabled?: boolean
          auto_topup_monthly_limit_packs?: number | null
          created_at?: string
          credits?: number
          deleted_at?: string | null
          disabled?: boolean
          disabled_reason?: string | null
          display_name?: string | null
          email?: string | null
          expires_at?: string | null
          first_name?: string | null
          id?: string
          last_active?: string | null
          last_name?: string | null
          last_topup_at?: string | null
          locale?: string | null
          marketing_opt_in?: boolean
          meta?: Json
          product_updates_opt_in?: boolean
          shopify_customer_id?: string | null
          source_system?: string
          timezone?: string | null
          topup_default_packs?: number
          topup_source?: string | null
          updated_at?: string
          user_id?: string | null
          verification_at?: string | null
          verification_method?: string | null
          verified_any?: never
          verified_apple?: boolean
          verified_email?: boolean
          verified_google?: boolean
        }
        Update: {
          auto_topup_enabled?: boolean
          auto_topup_monthly_limit_packs?: number | null
          created_at?: string
          credits?: number
          deleted_at?: string | null
          disabled?: boolean
          disabled_reason?: string | null
          display_name?: string | null
          email?: string | null
          expires_at?: string | null
          first_name?: string | null
          id?: string
          last_active?: string | null
          last_name?: string | null
          last_topup_at?: string | null
          locale?: string | null
          marketing_opt_in?: boolean
          meta?: Json
          product_updates_opt_in?: boolean
          shopify_customer_id?: string | null
          source_system?: string
          timezone?: string | null
          topup_default_packs?: number
          topup_source?: string | null
          updated_at?: string
          user_id?: string | null
          verification_at?: string | null
          verification_method?: string | null
          verified_any?: never
          verified_apple?: boolean
          verified_email?: boolean
          verified_google?: boolean
        }
        Relationships: [
          {
            foreignKeyName: "customers_credits_fkey"
            columns: ["credits", "id"]
            isOneToOne: false
            referencedRelation: "customer_balances"
            referencedColumns: ["credits", "customer_id"]
          },
        ]
      }
      feedback: {
        Row: {
          admin_note: string | null
          comment: string | null
          created_at: string
          customer_id: string | null
          generation_id: string | null
          id: string
          image_url: string | null
          result_type: string | null
          session_id: string | null
          source_system: string
          status: string
          updated_at: string
          video_url: string | null
        }
        Insert: {
          admin_note?: string | null
          comment?: string | null
          created_at?: string
          customer_id?: string | null
          generation_id?: string | null
          id?: string
          image_url?: string | null
          result_type?: string | null
          session_id?: string | null
          source_system?: string
          status?: string
          updated_at?: string
          video_url?: string | null
        }
        Update: {
          admin_note?: string | null
          comment?: string | null
          created_at?: string
          customer_id?: string | null
          generation_id?: string | null
          id?: string
          image_url?: string | null
          result_type?: string | null
          session_id?: string | null
          source_system?: string
          status?: string
          updated_at?: string
          video_url?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "feedback_customer_id_fkey"
            columns: ["customer_id"]
            isOneToOne: false
            referencedRelation: "customers"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "feedback_generation_id_fkey"
            columns: ["generation_id"]
            isOneToOne: false
            referencedRelation: "generations"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "feedback_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      finance_daily_deltas: {
        Row: {
          adjusted_usd: number
          breakage_usd: number
          cash_in_usd: number
          credits_bought: number
          customer_id: string
          day: string
          model: string
          paid_credited_usd: number
          provider: string
          refunded_usd: number
          revenue_usd: number
        }
        Insert: {
          adjusted_usd?: number
          breakage_usd?: number
          cash_in_usd?: number
          credits_bought?: number
          customer_id: string
          day: string
          model: string
          paid_credited_usd?: number
          provider: string
          refunded_usd?: number
          revenue_usd?: number
        }
        Update: {
          adjusted_usd?: number
          breakage_usd?: number
          cash_in_usd?: number
          credits_bought?: number
          customer_id?: string
          day?: string
          model?: string
          paid_credited_usd?: number
          provider?: string
          refunded_usd?: number
          revenue_usd?: number
        }
        Relationships: []
      }
      finance_daily_stats: {
        Row: {
          adjusted_usd: number
          breakage_usd: number
          cash_in_usd: number
          credits_bought: number
          day: string
          model: string
          paid_credited_usd: number
          provider: string
          refunded_usd: number
          revenue_usd: number
        }
        Insert: {
          adjusted_usd?: number
          breakage_usd?: number
          cash_in_usd?: number
          credits_bought?: number
          day: string
          model: string
          paid_credited_usd?: number
          provider: string
          refunded_usd?: number
          revenue_usd?: number
        }
        Update: {
          adjusted_usd?: number
          breakage_usd?: number
          cash_in_usd?: number
          credits_bought?: number
          day?: string
          model?: string
          paid_credited_usd?: number
          provider?: string
          refunded_usd?: number
          revenue_usd?: number
        }
        Relationships: []
      }
      generation_daily_deltas: {
        Row: {
          calls: number
          cost_usd: number
          credits_charged: number
          customer_id: string
          day: string
          latency_count: number
          latency_ms_sum: number
          model: string
          provider: string
          refunded: number
          status: string
        }
        Insert: {
          calls: number
          cost_usd: number
          credits_charged: number
          customer_id: string
          day: string
          latency_count: number
          latency_ms_sum: number
          model: string
          provider: string
          refunded: number
          status: string
        }
        Update: {
          calls?: number
          cost_usd?: number
          credits_charged?: number
          customer_id?: string
          day?: string
          latency_count?: number
          latency_ms_sum?: number
          model?: string
          provider?: string
          refunded?: number
          status?: string
        }
        Relationships: []
      }
      generation_daily_models: {
        Row: {
          calls: number
          cost_usd: number
          credits_charged: number
          day: string
          failed: number
          latency_count: number
          latency_ms_sum: number
          model: string
          provider: string
          succeeded: number
        }
        Insert: {
          calls?: number
          cost_usd?: number
          credits_charged?: number
          day: string
          failed?: number
          latency_count?: number
          latency_ms_sum?: number
          model: string
          provider: string
          succeeded?: number
        }
        Update: {
          calls?: number
          cost_usd?: number
          credits_charged?: number
          day?: string
          failed?: number
          latency_count?: number
          latency_ms_sum?: number
          model?: string
          provider?: string
          succeeded?: number
        }
        Relationships: []
      }
      generation_daily_providers: {
        Row: {
          calls: number
          cost_usd: number
          day: string
          failed: number
          provider: string
          succeeded: number
        }
        Insert: {
          calls?: number
          cost_usd?: number
          day: string
          failed?: number
          provider: string
          succeeded?: number
        }
        Update: {
          calls?: number
          cost_usd?: number
          day?: string
          failed?: number
          provider?: string
          succeeded?: number
        }
        Relationships: []
      }
      generation_daily_stats: {
        Row: {
          calls: number
          cost_usd: number
          credits_charged: number
          day: string
          latency_count: number
          latency_ms_sum: number
          model: string
          provider: string
          refunded: number
          status: string
        }
        Insert: {
          calls?: number
          cost_usd?: number
          credits_charged?: number
          day: string
          latency_count?: number
          latency_ms_sum?: number
          model: string
          provider: string
          refunded?: number
          status: string
        }
        Update: {
          calls?: number
          cost_usd?: number
          credits_charged?: number
          day?: string
          latency_count?: number
          latency_ms_sum?: number
          model?: string
          provider?: string
          refunded?: number
          status?: string
        }
        Relationships: []
      }
      generation_types: {
        Row: {
          active: boolean
          cost_credits: number
          created_at: string
          display_name: string
          type_key: string
          updated_at: string
        }
        Insert: {
          active?: boolean
          cost_credits: number
          created_at?: string
          display_name: string
          type_key: string
          updated_at?: string
        }
        Update: {
          active?: boolean
          cost_credits?: number
          created_at?: string
          display_name?: string
          type_key?: string
          updated_at?: string
        }
        Relationships: []
      }
      generations: {
        Row: {
          browser: string | null
          client_version: string | null
          completed_at: string | null
          content_type: string | null
          cost_usd: number
          created_at: string
          credits_charged: number
          customer_id: string
          device: string | null
          error: string | null
          id: string
          idempotency_key: string | null
          input_chars: number | null
          input_tokens: number | null
          latency_ms: number | null
          meta: Json
          model: string | null
          os: string | null
          output_chars: number | null
          output_key: string | null
          output_tokens: number | null
          output_url: string | null
          platform: string | null
          prompt: string | null
          provider: string
          refunded_at: string | null
          session_id: string | null
          source_system: string
          status: string
          type: string | null
          updated_at: string
        }
        Insert: {
          browser?: string | null
          client_version?: string | null
          completed_at?: string | null
          content_type?: string | null
          cost_usd?: number
          created_at?: string
          credits_charged?: number
          customer_id: string
          device?: string | null
          error?: string | null
          id?: string
          idempotency_key?: string | null
          input_chars?: number | null
          input_tokens?: number | null
          latency_ms?: number | null
          meta?: Json
          model?: string | null
          os?: string | null
          output_chars?: number | null
          output_key?: string | null
          output_tokens?: number | null
          output_url?: string | null
          platform?: string | null
          prompt?: string | null
          provider?: string
          refunded_at?: string | null
          session_id?: string | null
          source_system?: string
          status?: string
          type?: string | null
          updated_at?: string
        }
        Update: {
          browser?: string | null
          client_version?: string | null
          completed_at?: string | null
          content_type?: string | null
          cost_usd?: number
          created_at?: string
          credits_charged?: number
          customer_id?: string
          device?: string | null
          error?: string | null
          id?: string
          idempotency_key?: string | null
          input_chars?: number | null
          input_tokens?: number | null
          latency_ms?: number | null
          meta?: Json
          model?: string | null
          os?: string | null
          output_chars?: number | null
          output_key?: string | null
          output_tokens?: number | null
          output_url?: string | null
          platform?: string | null
          prompt?: string | null
          provider?: string
          refunded_at?: string | null
          session_id?: string | null
          source_system?: string
          status?: string
          type?: string | null
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "generations_customer_id_fkey"
            columns: ["customer_id"]
            isOneToOne: false
            referencedRelation: "customers"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "generations_session_id_fkey"
            columns: ["session_id"]
            isOneToOne: false
            referencedRelation: "sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      ledger_daily_deltas: {
        Row: {
          cost_usd: number
          day: string
          delta_sum: number
          entries: number
          provider: string
          source: string
          type: string
        }
        Insert: {
          cost_usd: number
          day: string
          delta_sum: number
          entries: number
          provider: string
          source: string
          type: string
        }
        Update: {
          cost_usd?: number
          day?: string
          delta_sum?: number
          entries?: number
          provider?: string
          source?: string
          type?: string
        }
        Relationships: []
      }
      ledger_daily_stats: {
        Row: {
          cost_usd: number
          day: string
          delta_sum: number
          entries: number
          provider: string
          source: string
          type: string
        }
        Insert: {
          cost_usd?: number
          day: string
          delta_sum?: number
          entries?: number
          provider: string
          source: string
          type: string
        }
        Update: {
          cost_usd?: number
          day?: string
          delta_sum?: number
          entries?: number
          provider?: string
          source?: string
          type?: string
        }
        Relationships: []
      }
      runtime_config: {
        Row: {
          created_at: string
          description: string | null
          expected_version: number | null
          key: string
          updated_at: string
          updated_by: string | null
          value: Json
          version: number
        }
        Insert: {
          created_at?: string
          description?: string | null
          expected_version?: number | null
          key: string
          updated_at?: string
          updated_by?: string | null
          value: Json
          version?: number
        }
        Update: {
          created_at?: string
          description?: string | null
          expected_version?: number | null
          key?: string
          updated_at?: string
          updated_by?: string | null
          value?: Json
          version?: number
        }
        Relationships: []
      }
      sessions: {
        Row: {
          created_at: string
          customer_id: string
          id: string
          platform: string | null
          source_system: string
          title: string | null
          updated_at: string
        }
        Insert: {
          created_at?: string
          customer_id: string
          id?: string
          platform?: string | null
          source_system?: string
          title?: string | null
          updated_at?: string
        }
        Update: {
          created_at?: string
          customer_id?: string
          id?: string
          platform?: string | null
          source_system?: string
          title?: string | null
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "sessions_customer_id_fkey"
            columns: ["customer_id"]
            isOneToOne: false
            referencedRelation: "customers"
            referencedColumns: ["id"]
          },
        ]
      }
      staff: {
        Row: {
          created_at: string
          created_by: string | null
          disabled: boolean
          email: string
          role: string
          updated_at: string
          user_id: string
        }
        Insert: {
          created_at?: string
          created_by?: string | null
          disabled?: boolean
          email: string
          role: string
          updated_at?: string
          user_id: string
        }
        Update: {
          created_at?: string
          created_by?: string | null
          disabled?: boolean
          email?: string
          role?: string
          updated_at?: string
          user_id?: string
        }
        Relationships: []
      }
    }
    Views: {
      [_ in never]: never
    }
    Functions: {
      add_staff_member: {
        Args: { p_email: string; p_role: string; p_reason?: string }
        Returns: Json
      }
      adjust_credits: {
        Args: { p_customer_id: string; p_delta: number; p_reason: string; p_idempotency_key?: string; p_expires_at?: string }
        Returns: Json
      }
      consume_credits: {
        Args: { p_customer_id: string; p_amount: number; p_generation_id?: string; p_reason?: string; p_idempotency_key?: string; p_provider?: string; p_cost_usd?: number }
        Returns: Json
      }
      dashboard_metrics: {
        Args: { p_from: string; p_to: string; p_provider?: string; p_models_of?: string }
        Returns: Json
      }
      database_advisor: {
        Args: never
        Returns: Json
      }
      database_health: {
        Args: never
        Returns: Json
      }
      end_admin_session: {
        Args: never
        Returns: undefined
      }
      expire_credits: {
        Args: { p_now?: string }
        Returns: Json
      }
      extend_credit_expiry: {
        Args: { p_block_id: number; p_expires_at: string; p_reason: string }
        Returns: Json
      }
      finance_metrics: {
        Args: { p_from: string; p_to: string; p_provider?: string }
        Returns: Json
      }
      finish_generation: {
        Args: { p_generation_id: string; p_status: string; p_output_url?: string; p_content_type?: string; p_latency_ms?: number; p_cost_usd?: number; p_error?: string; p_meta?: Json }
        Returns: Json
      }
      fold_dashboard_rollups: {
        Args: never
        Returns: Json
      }
      generation_filter_choices: {
        Args: never
        Returns: Json
      }
      grant_credits: {
        Args: { p_customer_id: string; p_credits: number; p_reason: string; p_expires_at?: string; p_idempotency_key?: string }
        Returns: Json
      }
      import_legacy: {
        Args: { p_dry_run?: boolean }
        Returns: Json
      }
      ledger_integrity: {
        Args: { p_stale_after?: string }
        Returns: Json
      }
      purchase_credits: {
        Args: { p_customer_id: string; p_credits: number; p_amount_usd: number; p_payment_ref: string; p_source: string; p_expires_at?: string }
        Returns: Json
      }
      refresh_planner_statistics: {
        Args: never
        Returns: Json
      }
      refund_credits: {
        Args: { p_customer_id: string; p_amount: number; p_generation_id?: string; p_reason?: string; p_idempotency_key?: string }
        Returns: Json
      }
      refund_generation: {
        Args: { p_generation_id: string; p_reason?: string }
        Returns: Json
      }
      remove_generation_type: {
        Args: { p_type_key: string; p_reason?: string }
        Returns: Json
      }
      remove_staff_member: {
        Args: { p_user_id: string; p_reason?: string }
        Returns: Json
      }
      search_customers: {
        Args: { p_q: string }
        Returns: unknown[]
      }
      set_customer_disabled: {
        Args: { p_customer_id: string; p_disabled: boolean; p_reason: string }
        Returns: Json
      }
      set_generation_type_price: {
        Args: { p_type_key: string; p_cost_credits: number; p_reason?: string }
        Returns: Json
      }
      set_staff_disabled: {
        Args: { p_user_id: string; p_disabled: boolean; p_reason?: string }
        Returns: Json
      }
      set_staff_role: {
        Args: { p_user_id: string; p_role: string; p_reason?: string }
        Returns: Json
      }
      staff_directory: {
        Args: never
        Returns: unknown[]
      }
      start_generation: {
        Args: { p_customer_id: string; p_type: string; p_provider: string; p_model: string; p_prompt: string; p_idempotency_key: string; p_session_id?: string; p_meta?: Json }
        Returns: Json
      }
      touch_admin_session: {
        Args: never
        Returns: Json
      }
      whoami: {
        Args: never
        Returns: Json
      }
    }
    Enums: {
      [_ in never]: never
    }
    CompositeTypes: {
      [_ in never]: never
    }
  }
}

type DefaultSchema = Database[Extract<keyof Database, "public">]

export type Tables<
  TableName extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"]),
> = (DefaultSchema["Tables"] & DefaultSchema["Views"])[TableName] extends {
  Row: infer R
}
  ? R
  : never

export type TablesInsert<TableName extends keyof DefaultSchema["Tables"]> =
  DefaultSchema["Tables"][TableName] extends { Insert: infer I } ? I : never

export type TablesUpdate<TableName extends keyof DefaultSchema["Tables"]> =
  DefaultSchema["Tables"][TableName] extends { Update: infer U } ? U : never

export type Functions<FunctionName extends keyof DefaultSchema["Functions"]> =
  DefaultSchema["Functions"][FunctionName]

export const Constants = {
  public: {
    Enums: {},
  },
} as const
