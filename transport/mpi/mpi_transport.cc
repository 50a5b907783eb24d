// MPI point-to-point behind the Transport interface: the baseline every other backend is
// compared with. It needs the MPI bootstrap (ranks launched by mpirun).
#include "core/error.h"
#include "transport/backends.h"
#include "transport/mpi/mpi_check.h"

#include <mpi.h>

#include <climits>
#include <cstring>

namespace lp::transport {
namespace {

static_assert(sizeof(MPI_Request) <= sizeof(void*), "MPI_Request must fit a Request handle");

// A datatype describing `len` bytes, so counts past INT_MAX work: whole 1 GiB blocks plus
// the remainder. Free it after posting (MPI keeps it alive for the pending operation).
struct Bytes {
  MPI_Datatype type = MPI_BYTE;
  int count = 0;
  bool derived = false;

  explicit Bytes(std::size_t len) {
    if (len <= static_cast<std::size_t>(INT_MAX)) {
      count = static_cast<int>(len);
      return;
    }
    constexpr std::size_t kBlock = std::size_t{1} << 30;
    MPI_Datatype block;
    check_mpi(MPI_Type_contiguous(static_cast<int>(kBlock), MPI_BYTE, &block), "MPI_Type_contiguous");
    const int blocks = static_cast<int>(len / kBlock);
    const int rest = static_cast<int>(len % kBlock);
    int lengths[2] = {blocks, rest};
    MPI_Aint displs[2] = {0, static_cast<MPI_Aint>(static_cast<std::size_t>(blocks) * kBlock)};
    MPI_Datatype types[2] = {block, MPI_BYTE};
    check_mpi(MPI_Type_create_struct(2, lengths, displs, types, &type), "MPI_Type_create_struct");
    check_mpi(MPI_Type_commit(&type), "MPI_Type_commit");
    MPI_Type_free(&block);
    count = 1;
    derived = true;
  }
  ~Bytes() {
    if (derived) MPI_Type_free(&type);
  }
};

MPI_Request& mpi_request(Request& r) { return *reinterpret_cast<MPI_Request*>(&r.handle); }

class MpiTransport final : public Transport {
 public:
  MpiTransport(Bootstrap& boot, const TransportOptions& options)
      : Transport(boot, options, static_cast<unsigned>(0)) {
    check_mpi(MPI_Comm_dup(MPI_COMM_WORLD, &comm_), "MPI_Comm_dup");
    MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN);
    void* ub = nullptr;
    int flag = 0;
    MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &ub, &flag);
    tag_ub_ = flag ? *static_cast<int*>(ub) : 32767;
    int version = 0;
    int subversion = 0;
    MPI_Get_version(&version, &subversion);
    char library[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;
    MPI_Get_library_version(library, &len);
    std::string lib(library, static_cast<std::size_t>(len));
    if (const auto nl = lib.find_first_of("\r\n,"); nl != std::string::npos) lib.resize(nl);
    details_ = {{"mpi_version", fmt::format("{}.{}", version, subversion)}, {"library", lib}};
  }
  ~MpiTransport() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Comm_free(&comm_);
  }

  std::string name() const override { return "mpi"; }
  nlohmann::json details() const override { return details_; }

  void progress() override {
    int flag = 0;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &flag, MPI_STATUS_IGNORE);
  }

  std::unique_ptr<MemoryRegion> register_memory(void* data, std::size_t size) override {
    return std::make_unique<HostRegion>(data, size);
  }

 protected:
  void do_isend(int peer, Tag tag, const void* buf, std::size_t len, Request& req) override {
    const Bytes bytes(len);
    req.bytes = len;
    check_mpi(MPI_Isend(buf, bytes.count, bytes.type, peer, mpi_tag(tag), comm_, &mpi_request(req)),
          "MPI_Isend");
  }

  void do_irecv(int peer, Tag tag, void* buf, std::size_t capacity, Request& req) override {
    const Bytes bytes(capacity);
    check_mpi(MPI_Irecv(buf, bytes.count, bytes.type, peer, mpi_tag(tag), comm_, &mpi_request(req)),
          "MPI_Irecv");
    req.cookie = 1;  // a receive: read the length on completion
  }

  bool do_test(Request& req) override {
    int flag = 0;
    MPI_Status status;
    const int rc = MPI_Test(&mpi_request(req), &flag, &status);
    if (rc != MPI_SUCCESS) {
      if (status.MPI_ERROR == MPI_ERR_TRUNCATE || rc == MPI_ERR_TRUNCATE) {
        throw Error(fmt::format("rank {}: a message from rank {} is longer than the receive buffer",
                                rank(), req.peer));
      }
      check_mpi(rc, "MPI_Test");
    }
    if (flag && req.cookie == 1) {
      MPI_Count count = 0;
      check_mpi(MPI_Get_elements_x(&status, MPI_BYTE, &count), "MPI_Get_elements_x");
      req.bytes = static_cast<std::size_t>(count);
    }
    return flag != 0;
  }

 private:
  class HostRegion final : public MemoryRegion {
   public:
    HostRegion(void* data, std::size_t size) : MemoryRegion(data, size) {}
    std::string pack() const override { return {}; }
  };

  int mpi_tag(Tag tag) const {
    if (tag > static_cast<Tag>(tag_ub_)) {
      throw Error(fmt::format("tag {} exceeds this MPI's MPI_TAG_UB ({})", tag, tag_ub_));
    }
    return static_cast<int>(tag);
  }

  MPI_Comm comm_ = MPI_COMM_NULL;
  int tag_ub_ = 32767;
  nlohmann::json details_;
};

}  // namespace

std::unique_ptr<Transport> make_mpi_transport(Bootstrap& boot, const TransportOptions& options) {
  if (boot.kind() != "mpi") {
    throw InputError("--transport mpi: needs ranks launched by mpirun (this run used --listen/--connect)");
  }
  return std::make_unique<MpiTransport>(boot, options);
}

}  // namespace lp::transport
