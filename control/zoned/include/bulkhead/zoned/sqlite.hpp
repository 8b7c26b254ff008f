// SPDX-License-Identifier: GPL-2.0-only
// Just enough of SQLite for the zone store: a connection, prepared
// statements with bound parameters, and transactions that roll back
// unless committed. Errors throw SqliteError with SQLite's message.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace bh::zoned {

class SqliteError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class Statement;

class Database {
  public:
    explicit Database(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const char* sql);
    Statement prepare(const char* sql);
    std::int64_t changes() const;
    sqlite3* handle() { return db_; }

  private:
    sqlite3* db_ = nullptr;
};

class Statement {
  public:
    Statement(Database& db, const char* sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are numbered from 1, as in SQL's ?1.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, std::nullopt_t);
    Statement& bind(int index, const std::optional<std::int64_t>& value);
    // true while there is a row to read; false when done.
    bool step();
    void run(); // step() once, for statements without rows

    std::int64_t integer(int column) const;
    std::optional<std::int64_t> optional_integer(int column) const;
    std::string text(int column) const;

  private:
    Database* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

class Transaction {
  public:
    explicit Transaction(Database& db); // BEGIN IMMEDIATE
    ~Transaction();                     // ROLLBACK unless committed
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

  private:
    Database& db_;
    bool done_ = false;
};

} // namespace bh::zoned
